import Mustache

/// The screen-pop page's templates (swift-mustache). `{{name}}` escapes HTML (& < > " '), so a
/// resident's name or note can never become markup; the templates use no triple mustaches.
/// Kept as Swift strings (no resource bundle) and parsed once, when the server starts.
enum ScreenPopTemplates {
    /// The templates by name; a template that fails to parse stops the server at start-up.
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        do {
            try library.register(layout, named: "layout")
            try library.register(page, named: "page")
            try library.register(message, named: "message")
            try library.register(login, named: "login")
            try library.register(proceed, named: "proceed")
            try library.register(repairForm, named: "repairForm")
            try library.register(repairPage, named: "repairPage")
        } catch {
            fatalError("screen-pop templates: \(error)")
        }
        return library
    }()

    /// Renders `view` with the template `name`.
    static func render(_ view: Any, _ name: String) -> String {
        guard let text = library.render(view, withTemplate: name) else { fatalError("screen-pop template \(name) is not registered") }
        return text
    }

    // The inline style carries the response's nonce: the CSP allows no other style and no script.
    static let layout = """
        <!doctype html><html lang=zh-CN><head><meta charset=utf-8><title>客户资料弹屏</title>
        <style nonce="{{nonce}}">body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;margin:1.5em;color:#222}
        section{border:1px solid #ccc;border-radius:6px;padding:.5em 1em;margin:1em 0}table{border-collapse:collapse}
        td,th{border:1px solid #ddd;padding:.2em .6em}.notice{background:#e8f5e9;padding:.4em}.notfound{color:#b71c1c}</style>
        {{$head}}{{/head}}</head><body>{{#agent}}<p>坐席：{{agent}}</p>{{/agent}}{{$body}}{{/body}}</body></html>
        """

    static let page = """
        {{<layout}}{{$body}}
        {{#notice}}<p class=notice>{{notice}}</p>{{/notice}}
        {{#found}}
        <h1>来电 {{shownQuery}}：{{houseCount}} 户</h1>
        {{#truncation}}<p class=notice>{{truncation}}</p>{{/truncation}}
        {{#cards}}
        <section class=household data-house="{{card.house}}">
        {{#card}}
        <h2>{{house}} · {{project}} · {{occupancy}}</h2>
        <p>网格 <b>{{grid}}</b> 网格电话 <b>{{gridPhone}}</b> 当值管家 <b>{{butler}}</b> 待办 <b>{{openTasks}}</b> 欠费 <b>{{inArrears}}</b></p>
        {{#entrustment}}<p>委托代管：{{kind}} {{period}}，钥匙 {{keys}} 把</p>{{/entrustment}}
        <table><tr><th>住户</th><th>身份</th><th>电话</th><th>标签</th></tr>
        {{#residents}}<tr><td>{{name}}</td><td>{{role}}</td><td>{{phone}}</td><td>{{tags}}</td></tr>{{/residents}}
        </table><h3>最近接触</h3><ul>
        {{#recent}}<li>{{at}} {{kind}} {{note}}</li>{{/recent}}{{^recent}}<li>暂无</li>{{/recent}}
        </ul>
        {{/card}}
        <h3>最近订单</h3><ul>
        {{#orders}}<li>#{{id}} {{product}} ×{{quantity}} {{status}}</li>{{/orders}}{{^orders}}<li>暂无</li>{{/orders}}
        </ul>
        <form method=post action="/screen-pop/calls"><input type=hidden name=csrf value="{{csrf}}"><input type=hidden name=house value="{{card.house}}">
        <label>记录本次来电 <input name=note size=40 placeholder="来电内容"></label> <button>保存</button></form>
        <h3>报修单</h3><ul class=repairs>
        {{#repairs}}<li>#{{id}} {{category}} {{status}} 完工时限 {{deadline}}{{#breaches}} <b class=notfound>超时：{{breaches}}</b>{{/breaches}}</li>{{/repairs}}{{^repairs}}<li>暂无</li>{{/repairs}}
        {{#repairsMore}}<li>{{repairsMore}}</li>{{/repairsMore}}
        </ul>
        {{#repairForm}}{{>repairForm}}{{/repairForm}}
        </section>
        {{/cards}}
        {{/found}}
        {{^found}}{{#hasQuery}}<h1 class=notfound>未找到 {{shownQuery}} 对应的住户</h1>{{/hasQuery}}{{^hasQuery}}<h1>客户资料</h1>{{/hasQuery}}{{/found}}
        <form method=get action="/screen-pop"><label>按房屋查询 <input name=house placeholder="YS01/3-2-1502"></label> <button>查询</button></form>
        {{/body}}{{/layout}}
        """

    /// A card's repair form (000 报修), a plain form post: no script. Source is the phone. The
    /// description's `maxlength` keeps a browser's post under the form body limit (64 KiB, even
    /// at 9 bytes a percent-encoded CJK character); like the API, the server sets no other limit.
    static let repairForm = """
        <form method=post action="/screen-pop/repairs" class=repair><input type=hidden name=csrf value="{{csrf}}"><input type=hidden name=house value="{{house}}"><input type=hidden name=caller_sealed value="{{sealed}}">
        {{#error}}<p class=notfound>{{error}}</p>{{/error}}
        <label>报修类别 <select name=category>{{#categories}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/categories}}</select></label>
        <label>报修内容 <textarea name=description required maxlength=4000 rows=2 cols=40>{{description}}</textarea></label>
        <label><input type=checkbox name=complex value=1{{#complex}} checked{{/complex}}>复杂问题</label>
        <label>来电号码 <input name=caller size=14 value="{{caller}}"></label> 来源：电话 <button>开报修单</button></form>
        """

    /// The repair form again, with what was typed and why it was refused.
    static let repairPage = """
        {{<layout}}{{$body}}
        {{#form}}<h1>为 {{house}} 开报修单</h1>{{>repairForm}}<p><a href="{{back}}">返回客户资料</a></p>{{/form}}
        {{/body}}{{/layout}}
        """

    /// One message (not signed in, no permission, database down, a refused form).
    static let message = """
        {{<layout}}{{$body}}<h1 class=notfound>{{text}}</h1><p>{{hint}}</p>{{/body}}{{/layout}}
        """

    /// The sign-in form: the telephony system (or the agent) posts the token; it never travels in a URL.
    static let login = """
        {{<layout}}{{$body}}
        {{#note}}<p class=notfound>{{note}}</p>{{/note}}
        <h1>坐席登录</h1>
        <form method=post action="/screen-pop/login"><input type=hidden name=next value="{{next}}">
        <label>令牌 <input name=token type=password autocomplete=off size=40></label> <button>登录</button></form>
        {{/body}}{{/layout}}
        """

    /// After a sign-in posted from another site (the telephony system's page): the browser
    /// does not send a SameSite=Strict cookie on a redirect that a cross-site post started, so
    /// this page, now on our origin, moves on to `next` itself (a meta refresh is not script
    /// and needs nothing from the CSP).
    static let proceed = """
        {{<layout}}{{$head}}<meta http-equiv=refresh content="0;url={{next}}">{{/head}}{{$body}}
        <p>已登录，正在打开 <a href="{{next}}">客户资料</a>…</p>
        {{/body}}{{/layout}}
        """
}
