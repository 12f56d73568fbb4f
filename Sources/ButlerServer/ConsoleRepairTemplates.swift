/// The templates of /me/repairs, the technician's orders (issue 16), registered by ConsoleTemplates.
enum ConsoleRepairTemplates {
    static let all: [(String, String)] = [("repairs", repairs), ("repairCard", card)]

    static let repairs = """
        {{<layout}}{{$style}}.breached{color:#b71c1c;font-weight:bold}.late{border-color:#b71c1c}.card h3{margin:.2em 0;font-size:1.05em}
        .card form{margin:.4em 0}.card p{margin:.3em 0}{{/style}}{{$body}}
        <header><b>{{name}}</b> · {{today}} <form method=post action="/logout"><button>退出</button></form></header>
        <h1>维修工单</h1>
        {{#notice}}<p class=notice>{{notice}}</p>{{/notice}}
        {{#pageError}}<p class=error>{{pageError}}</p>{{/pageError}}
        {{#empty}}<h2>没有待处理的工单</h2><p class=reason>此页列出派给你、尚未完工的报修单（按当前阶段的时限先后），以及本项目待抢的报修单。有新单时刷新本页即可。</p>{{/empty}}
        {{^empty}}
        <h2>我的工单</h2>{{#mineNote}}<p class=reason>{{mineNote}}</p>{{/mineNote}}
        {{#mine}}{{>repairCard}}{{/mine}}
        {{^hasMine}}<p class=reason>没有派给你的未完工工单。</p>{{/hasMine}}
        <h2>可抢的工单</h2>{{#openNote}}<p class=reason>{{openNote}}</p>{{/openNote}}
        {{#open}}{{>repairCard}}{{/open}}
        {{^hasOpen}}<p class=reason>本项目暂无待抢的工单。</p>{{/hasOpen}}
        {{/empty}}
        {{/body}}{{/layout}}
        """

    /// One order: what, where, the stage's clock, and the forms its state allows.
    static let card = """
        {{#error}}<p class=error>{{error}}</p>{{/error}}
        <section class="card{{#breached}} late{{/breached}}" id="order-{{id}}"><h3>#{{id}} {{house}} · {{category}}{{#complex}}（复杂）{{/complex}}</h3>
        <p>{{description}}</p>
        <p><span class=st>{{status}}</span> · {{stage}}时限 {{due}} · {{#breached}}<span class=breached>{{left}}</span>{{/breached}}{{^breached}}<span>{{left}}</span>{{/breached}}</p>
        {{#breaches}}<p class=breached>已超时的环节：{{breaches}}</p>{{/breaches}}
        {{#appointment}}<p class=reason>预约上门 {{appointment}}</p>{{/appointment}}
        {{#delayReason}}<p class=reason>延期原因：{{delayReason}}</p>{{/delayReason}}
        {{#canGrab}}<form method=post action="/me/repairs/{{id}}/grab"><input type=hidden name=csrf value="{{csrf}}"><button>抢单</button></form>{{/canGrab}}
        {{#canSign}}<form method=post action="/me/repairs/{{id}}/sign"><input type=hidden name=csrf value="{{csrf}}"><button>签收</button></form>{{/canSign}}
        {{#canContact}}<form method=post action="/me/repairs/{{id}}/contact"><input type=hidden name=csrf value="{{csrf}}">
        <label>已联系业主，预约上门时间 <input type=datetime-local name=appointment required value="{{keptAppointment}}"></label> <button>联系业主</button></form>{{/canContact}}
        {{#canComplete}}<form method=post action="/me/repairs/{{id}}/complete"><input type=hidden name=csrf value="{{csrf}}">
        <label>完工照片 <input name=photos required size=24 maxlength=2000 value="{{keptPhotos}}" placeholder="文件名或网址，多张用空格或逗号分隔"></label>
        <label>备注 <input name=note size=12 maxlength=500 value="{{keptNote}}"></label> <button>完工</button></form>{{/canComplete}}
        {{#canDelay}}<form method=post action="/me/repairs/{{id}}/delay"><input type=hidden name=csrf value="{{csrf}}">
        <label>延期原因 <input name=reason required size=16 maxlength=500 value="{{keptReason}}"></label> <button>延期</button></form>{{/canDelay}}
        </section>
        """
}
