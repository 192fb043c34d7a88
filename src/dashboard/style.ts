/**
 * The dashboard's style sheet, sent inline (no external files: the CSP forbids them). Mobile first: a phone gets
 * lists; from 760px wide the board becomes a table of items × units.
 */
export const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.55 -apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1f2328;background:#f5f6f8}
a{color:#0b57d0;text-decoration:none}
a:hover{text-decoration:underline}
header.top{background:#b3261e;color:#fff;padding:10px 14px}
header.top h1{margin:0;font-size:18px}
header.top a{color:#fff}
header.top .asof{margin:2px 0 0;font-size:12px;opacity:.9}
nav.crumbs{font-size:13px;margin-top:4px}
main{padding:12px;max-width:1400px;margin:0 auto}
section.panel{background:#fff;border:1px solid #e1e4e8;border-radius:8px;padding:12px;margin:0 0 12px}
section.panel h2{font-size:16px;margin:0 0 8px}
h3{font-size:15px;margin:12px 0 6px}
.muted{color:#59636e;font-size:13px}
.problem{background:#fdecea;border:1px solid #f5c2c0;color:#8c1d18;border-radius:6px;padding:8px 10px;margin:0 0 12px}
.light{display:inline-block;min-width:3em;padding:0 6px;border-radius:4px;font-size:13px;font-weight:600;text-align:center;white-space:nowrap}
.light-red{background:#d93025;color:#fff}
.light-yellow{background:#f9ab00;color:#1f2328}
.light-green{background:#188038;color:#fff}
.counts{display:flex;flex-wrap:wrap;gap:8px;margin:0;padding:0;list-style:none}
.counts li a,.counts li span.count{display:block;padding:8px 12px;border-radius:8px;font-weight:600;min-width:6.5em;text-align:center}
.counts .light-red,.counts .light-yellow,.counts .light-green{font-size:15px}
.counts b{display:block;font-size:22px}
.counts a.light-red,.counts a.light-green{color:#fff}
.counts a.light-yellow{color:#1f2328}
table.summary{border-collapse:collapse;margin-top:8px;font-size:14px}
table.summary th,table.summary td{border:1px solid #e1e4e8;padding:3px 10px;text-align:center}
form.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-end}
form.filters label{display:flex;flex-direction:column;font-size:13px;color:#59636e}
form.filters select{font-size:15px;padding:4px;min-width:9em;max-width:100%}
form.filters button,.button{font-size:15px;padding:6px 14px;border-radius:6px;border:1px solid #0b57d0;background:#0b57d0;color:#fff;cursor:pointer;display:inline-block}
.button.secondary{background:#fff;color:#0b57d0}
.buttons{display:flex;flex-wrap:wrap;gap:8px}
.board-table{display:none}
.board-list{list-style:none;margin:0;padding:0}
.board-list .group{margin:10px 0 4px;font-weight:600}
.task-card{border:1px solid #e1e4e8;border-radius:8px;padding:8px;margin:6px 0;background:#fff}
.task-card .units{list-style:none;margin:6px 0 0;padding:0}
.task-card .units li{padding:3px 0;border-top:1px dashed #eaecef;font-size:14px}
.task-card details.co summary{font-size:13px;color:#424a53;cursor:pointer;padding:3px 0}
.role{display:inline-block;font-size:12px;border:1px solid #8c959f;border-radius:3px;padding:0 3px;margin:0 2px;color:#424a53}
.role-lead{border-color:#b3261e;color:#b3261e}
.report{color:#424a53;font-size:13px;word-break:break-word}
.withdrawn{color:#8c959f;text-decoration:line-through}
table.data{border-collapse:collapse;width:100%;font-size:14px}
table.data th,table.data td{border-bottom:1px solid #eaecef;padding:5px 6px;text-align:left;vertical-align:top}
table.data th{background:#f6f8fa;white-space:nowrap}
.scroll{overflow-x:auto}
.chart svg{width:100%;max-width:720px;height:auto;display:block}
.legend{font-size:13px;color:#59636e}
.bulletin{font-size:15px}
.bulletin h1,.bulletin h2,.bulletin h3,.bulletin h4{font-size:16px}
textarea.source{width:100%;min-height:12em;font:13px/1.5 monospace}
@media (min-width:760px){
  main{padding:16px}
  .board-table{display:block;overflow-x:auto}
  .board-list.phone{display:none}
  table.board{border-collapse:separate;border-spacing:2px;font-size:13px}
  table.board th.unit{writing-mode:vertical-rl;white-space:nowrap;font-weight:500;padding:4px 2px;vertical-align:bottom;max-height:11em}
  table.board th.unit a{color:#1f2328}
  table.board td.task{min-width:18em;max-width:30em;padding:3px 6px;background:#fff}
  table.board tr.item th,table.board tr.section th{text-align:left;padding:6px 4px 2px}
  table.board tr.section th{font-size:15px}
  table.board td.cell{padding:0;text-align:center;min-width:2.6em}
  table.board td.cell a{display:block;padding:3px 2px;border-radius:3px;color:inherit;text-decoration:none;font-size:12px;line-height:1.3}
  table.board td.empty{background:transparent}
}
`;
