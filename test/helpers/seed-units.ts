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
