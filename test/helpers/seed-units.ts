/** The units of the seed plan (2020年秀洲区法治政府建设工作要点) as stored: as written, collectives included. */
export const SEED_UNITS: readonly string[] = [
  '区级有关部门',
  '各镇人民政府(街道办事处)',
  '区司法局',
  '区市场监管局',
  '区综合行政执法局',
  '秀洲国家高新区管委会',
  '区政务数据办',
  '区发展和改革局',
  '区住建局',
  '区经济信息商务局',
  '区财政局',
  '区政府办公室',
];

/** The members of 各镇人民政府(街道办事处) in data/units.yaml, in file order. */
export const SEED_TOWNS: readonly string[] = ['王江泾镇', '油车港镇', '新塍镇', '王店镇', '洪合镇', '新城街道', '嘉北街道', '塘汇街道', '高照街道'];

/** The members of 区级有关部门 in data/units.yaml, in file order. */
export const SEED_DEPARTMENTS: readonly string[] = [
  '区司法局',
  '区市场监管局',
  '区综合行政执法局',
  '区政务数据办',
  '区发展和改革局',
  '区住建局',
  '区经济信息商务局',
  '区财政局',
  '区政府办公室',
];
