import Mustache

/// The console's templates (swift-mustache; `{{name}}` escapes HTML, no triple mustaches).
/// Small pages for a phone on a poor connection: one inline style (with the CSP nonce), no
/// script, no external assets.
enum ConsoleTemplates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        do {
            // Each role's pages keep their templates in their own file.
            let pages = [own, ConsoleRepairTemplates.all, ConsoleGridsTemplates.all, ConsoleMonthTemplates.all]
            for (name, template) in pages.flatMap({ $0 }) { try library.register(template, named: name) }
        } catch {
            fatalError("console templates: \(error)")
        }
        return library
    }()

    static func render(_ view: Any, _ name: String) -> String {
        guard let text = library.render(view, withTemplate: name) else { fatalError("console template \(name) is not registered") }
        return text
    }

    static let own: [(String, String)] = [("layout", layout), ("login", login), ("message", message), ("today", today)]

    /// The page frame: one inline style (a page adds its own rules in the `style` block).
    static let layout = """
        <!doctype html><html lang=zh-CN><head><meta charset=utf-8><meta name=viewport content="width=device-width,initial-scale=1"><title>管家工作台</title>
        <style nonce="{{nonce}}">body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;margin:0 auto;max-width:40em;padding:.8em;color:#222}
        .card{border:1px solid #ccc;border-radius:6px;padding:.5em .8em;margin:.6em 0}.overdue{border-color:#b71c1c}.overdue .st{color:#b71c1c;font-weight:bold}
        .done{opacity:.6}.quota{background:#e3f2fd;padding:.4em .8em;border-radius:6px}.notice{background:#e8f5e9;padding:.4em}.error{color:#b71c1c}
        nav a{margin-right:.6em}nav b{margin-right:.6em}button{padding:.4em 1em}.reason{color:#555;font-size:.9em}header form{display:inline}input:not([type]){width:9em}{{$style}}{{/style}}</style>
        </head><body>{{$body}}{{/body}}</body></html>
        """

    static let login = """
        {{<layout}}{{$body}}
        <h1>登录管家工作台</h1>
        {{#error}}<p class=error>{{error}}</p>{{/error}}
        <form method=post action="/login"><label>令牌 <input name=token type=password autocomplete=off required size=30></label> <button>登录</button></form>
        {{/body}}{{/layout}}
        """

    static let message = """
        {{<layout}}{{$body}}<h1 class=error>{{title}}</h1><p>{{hint}}</p><p><a href="/login">登录页</a></p>{{/body}}{{/layout}}
        """

    static let today = """
        {{<layout}}{{$body}}
        <header><b>{{name}}</b> · {{date}} <form method=post action="/logout"><button>退出</button></form></header>
        <nav aria-label="日期">{{#days}}{{#current}}<b>{{label}}</b>{{/current}}{{^current}}<a href="/me?date={{date}}">{{label}}</a>{{/current}}{{/days}}</nav>
        {{#notice}}<p class=notice role=status>{{notice}}</p>{{/notice}}
        {{#problem}}<p class=error role=alert>{{problem}}</p>{{/problem}}
        {{#preview}}<p class=notice>预览：这一天尚未排程，显示的是届时将生成的任务。</p>{{/preview}}
        {{#hasQuotas}}<p class=quota>{{#quotas}}<span>{{.}}</span> {{/quotas}}</p>{{/hasQuotas}}
        {{#cards}}
        <section class="card{{#overdue}} overdue{{/overdue}}{{#isDone}} done{{/isDone}}"><h2>{{house}} · {{title}}</h2>{{#error}}<p class=error role=alert>{{error}}</p>{{/error}}
        <p class=reason>{{reason}}</p><p><span class=st>{{status}}</span> 截止 {{due}}</p>
        {{#canFinish}}<form method=post action="/me/tasks/{{id}}/done"><input type=hidden name=csrf value="{{csrf}}"><input type=hidden name=date value="{{date}}">{{#pageNo}}<input type=hidden name=page value={{pageNo}}>{{/pageNo}}
        <label>备注 <input name=note maxlength=500 value="{{doneNote}}"></label> <button>标记完成</button></form>{{/canFinish}}
        {{#hasHouse}}<form method=post action="/me/touchpoints"><input type=hidden name=csrf value="{{csrf}}"><input type=hidden name=date value="{{date}}">{{#pageNo}}<input type=hidden name=page value={{pageNo}}>{{/pageNo}}<input type=hidden name=house value="{{house}}"><input type=hidden name=task value="{{id}}">
        <label>记录 <select name=kind>{{#records}}<option value={{value}}{{#selected}} selected{{/selected}}>{{label}}</option>{{/records}}</select></label>
        <label>备注 <input name=note maxlength=500 value="{{note}}"></label> <label>照片 <input name=photo maxlength=500 placeholder="编号或链接" value="{{photo}}"></label> <button>记录</button></form>{{/hasHouse}}
        </section>
        {{/cards}}
        {{#pager}}<nav aria-label="分页">{{#previous}}<a href="/me?date={{date}}&amp;page={{previous}}">上一页</a> {{/previous}}第 {{number}}/{{pages}} 页（共 {{total}} 项）{{#next}} <a href="/me?date={{date}}&amp;page={{next}}">下一页</a>{{/next}}</nav>{{/pager}}
        {{#empty}}<p>这一天没有任务。</p><p class=reason>排程后，这里按截止时间列出当天的走访、查验和跟进，逾期的在最前。</p>{{/empty}}
        {{/body}}{{/layout}}
        """
}
