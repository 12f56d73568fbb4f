/// The templates of /project/report, the manager's month (issue 16), registered by ConsoleTemplates.
/// Kept small for a project of hundreds of grids: cells leave out their optional end tags
/// (`</td>`, `</th>`, `</tr>`: valid HTML5), and each chart is BarChart's compact SVG.
enum ConsoleMonthTemplates {
    static let all: [(String, String)] = [("month", month), ("monthTable", table)]

    /// Bars are stroked paths (`fill:none`); colours only through classes (the CSP blocks `style=""`).
    /// Blue #1f5fa8 and teal #00695c meet a target, red #b3261e is under it: each ≥ 4.5:1 on white.
    static let month = """
        {{<layout}}{{$style}}
        body{max-width:72em}.chart{max-width:48em}.scroll{overflow-x:auto}table{border-collapse:collapse;font-size:.85em}th,td{border:1px solid #ccc;padding:.15em .35em;text-align:right;white-space:nowrap}
        th:first-child,td:first-child{text-align:left}td.u{color:#b3261e;font-weight:bold}figure{margin:.6em 0}figcaption{color:#555;font-size:.85em}
        .chart{width:100%;height:auto;font-size:11px}.chart text{fill:#222}.chart path{fill:none;stroke-width:8}.chart .s0{stroke:#1f5fa8}
        .chart .s1{stroke:#00695c}.chart .u{stroke:#b3261e}.chart .t{stroke:#222;stroke-width:1;stroke-dasharray:3 2}.chart .tl{text-anchor:middle}
        {{/style}}{{$body}}
        <header><b>{{project}}</b> · {{month}} 月度报表 <a href="/project">项目首页</a> <form method=post action="/logout"><button>退出</button></form></header>
        <nav aria-label="月份"><a href="/project/report?month={{previous}}">‹ {{previous}}</a> <b>{{month}}</b> {{#next}}<a href="/project/report?month={{next}}">{{next}} ›</a> {{/next}}<a href="{{csvLink}}" download>下载 CSV</a></nav>
        {{#empty}}<p class=notice>{{empty}}</p>{{/empty}}
        {{#grids}}{{>monthTable}}{{/grids}}
        {{#repairs}}{{>monthTable}}{{/repairs}}
        {{#arrears}}{{>monthTable}}{{/arrears}}
        {{/body}}{{/layout}}
        """

    /// A section: its heading, the table (the charts' text equivalent), its note, then its charts.
    /// `{{{svg}}}` is the one unescaped value of the console: BarChart escapes every text it draws.
    static let table = """
        <h2 id={{id}}>{{caption}}</h2>
        <div class=scroll tabindex=0 role=region aria-labelledby={{id}}><table aria-labelledby={{id}}><thead><tr>{{#header}}<th scope=col>{{.}}{{/header}}</thead>
        <tbody>
        {{#rows}}<tr>{{#cells}}<td{{#under}} class=u{{/under}}>{{text}}{{/cells}}
        {{/rows}}</tbody></table></div>
        <p class=reason>{{note}}</p>
        {{#charts}}<figure id={{id}}>{{{svg}}}<figcaption>{{legend}}</figcaption></figure>
        {{/charts}}
        """
}
