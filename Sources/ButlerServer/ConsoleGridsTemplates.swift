/// The templates of /project, the manager's grids (issue 16), registered by ConsoleTemplates.
/// One form per grid, on a row under it (a phone's width; its action names the grid); the butler field offers the project's butlers
/// from one shared <datalist>, so the page grows with the grids, not with grids × butlers.
enum ConsoleGridsTemplates {
    static let all: [(String, String)] = [("grids", grids), ("gridHistory", history)]

    static let style = """
        table{border-collapse:collapse;width:100%}th,td{padding:.3em;text-align:left;vertical-align:top}th{border-bottom:1px solid #999}
        .assign td{border-bottom:1px solid #ccc;padding-bottom:.6em}.assign p{margin:0 0 .3em}
        .n{text-align:right}.wide{overflow-x:auto}.vacant,.late{color:#b71c1c;font-weight:bold}
        .cur{font-weight:bold}.mark{background:#e3f2fd;padding:0 .3em;border-radius:3px}
        """

    static let grids = """
        {{<layout}}{{$style}}\(style){{/style}}{{$body}}
        <header><b>{{name}}（{{project}}）</b> · {{date}} <a href="/project/report">本月报表</a> <form method=post action="/logout"><button>退出</button></form></header>
        <h1>网格与管家</h1>
        {{#notice}}<p class=notice>{{notice}}</p>{{/notice}}
        {{#problem}}<p class=error>{{problem}}</p>{{/problem}}
        {{#empty}}<p>本项目还没有网格。请先用命令行划分网格：<code>butler grid create 网格编码 --project {{project}} --name 名称 --phone 服务电话</code>，再用 <code>butler grid cover 网格编码 --building 楼栋</code> 划入房屋，之后即可在此指派管家。</p>{{/empty}}
        {{^empty}}<p>{{totals}}</p>
        <datalist id=butlers>{{#butlers}}<option value="{{employeeNo}}">{{label}}</option>{{/butlers}}</datalist>
        <div class=wide><table>
        <thead><tr><th scope=col>网格</th><th scope=col>今日管家</th><th scope=col>服务电话</th><th scope=col class=n>户数</th><th scope=col class=n>今日待办</th><th scope=col class=n>逾期</th></tr></thead>
        <tbody>
        {{#rows}}
        <tr><td><a href="/project/grids/{{code}}">{{code}}</a> {{name}}</td><td{{#vacant}} class=vacant{{/vacant}}>{{butler}}</td><td>{{phone}}</td><td class=n>{{houses}}</td><td class=n>{{open}}</td><td class="n{{#late}} late{{/late}}">{{overdue}}</td></tr>
        <tr class=assign><td colspan=6>{{#error}}<p class=error id="e-{{code}}">{{error}}</p>{{/error}}<form method=post action="/project/grids/{{code}}/assign"><input type=hidden name=csrf value="{{csrf}}">
        <label for="b-{{code}}">管家工号</label> <input id="b-{{code}}" name=butler list=butlers size=7 maxlength=32 required value="{{butlerInput}}">
        <label for="f-{{code}}">生效日期</label> <input id="f-{{code}}" name=from type=date required value="{{from}}"> <button>指派</button></form></td></tr>
        {{/rows}}
        </tbody></table></div>{{/empty}}
        {{/body}}{{/layout}}
        """

    static let history = """
        {{<layout}}{{$style}}\(style){{/style}}{{$body}}
        <header><a href="/project">返回网格列表</a> <form method=post action="/logout"><button>退出</button></form></header>
        <h1>{{grid}} {{name}}</h1>
        <p>服务电话 {{phone}}</p>
        <h2>指派历史（新的在前）</h2>
        {{^empty}}<ol>{{#entries}}<li{{#current}} class=cur{{/current}}>{{period}} · {{butler}}{{#mark}} <span class=mark>{{mark}}</span>{{/mark}} <span class=reason>{{recorded}}</span></li>{{/entries}}</ol>{{/empty}}
        {{#empty}}<p>这个网格还没有指派过管家：请在<a href="/project">网格列表</a>中为它指派。</p>{{/empty}}
        {{/body}}{{/layout}}
        """
}
