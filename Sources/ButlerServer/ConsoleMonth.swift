import ButlerCore
import ButlerStore
import Foundation
import HTTPTypes
import Hummingbird

/// The console's /project/report: the manager's month as a table and inline SVG charts, with the CSV (issue 16).
/// The project manager's own project only (`?project=` may name it; another is a 403); the
/// month (`?month=YYYY-MM`) defaults to the server's current one. The data is
/// MonthlyReportStore's, as `butler report --project` prints it.
struct ConsoleMonth: Sendable {
    let pool: DatabasePool
    var session = ConsoleSession()
    /// The server's clock, read once per request.
    var now: @Sendable () -> Date = { Date() }

    func register(on router: Router<BasicRequestContext>, routes: RouteTable) {
        routes.get("/project/report", on: router) { request, _ -> Response in
            do { return try await page(request) } catch { return PageResponse.errorPage(Self.naming(error), signIn: true) }
        }
        routes.get("/project/report.csv", on: router) { request, _ -> Response in
            do { return try await csv(request) } catch { return PageResponse.errorPage(Self.naming(error)) }
        }
    }

    private func page(_ request: Request) async throws -> Response {
        guard bearerToken(request) != nil else { return PageResponse.redirect("/login") }
        let now = now()
        let (report, month) = try await report(request, now: now)
        return PageResponse.html(ConsoleView.Month(report, month: month, today: Day.from(now)), "month")
    }

    /// The same text as `butler report --csv` (MonthlyReportCSV), as a download.
    private func csv(_ request: Request) async throws -> Response {
        let (report, _) = try await report(request, now: now())
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        // A project code is letters and digits; anything else is kept out of the header's quoted name.
        let name = String(report.project.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) && $0.isASCII ? Character($0) : "_" })
        headers[.contentDisposition] = "attachment; filename=\"report-\(name)-\(report.month).csv\""
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: MonthlyReportCSV.text(report))))
    }

    /// The month asked for, read as the signed-in manager for their own project.
    private func report(_ request: Request, now: Date) async throws -> (MonthlyReport, YearMonth) {
        let month = try Self.month(request.uri.queryParameters["month"], now: now)
        let asked = request.uri.queryParameters["project"].map(String.init)
        let report = try await pool.asActor(token: bearerToken(request)) { db, principal in
            let scope = Scope(db: db, actor: principal)
            try scope.requireRole([.manager], to: "查看项目月度报表（此页只属于项目经理）")
            guard let own = try scope.gridListProject() else { throw ButlerError(.forbidden, "\(principal.employeeNo) 没有所属项目") }
            if let asked, asked != own {
                throw ButlerError(.forbidden, field: "project", "\(principal.employeeNo) 无权查看项目 \(asked) 的月度报表：不在其所属项目内")
            }
            return try MonthlyReportStore(db: db).report(project: own, month: month, now: now)
        }
        return (report, month)
    }

    /// `?month=YYYY-MM`, or the server's current month (Asia/Shanghai).
    static func month(_ text: Substring?, now: Date) throws -> YearMonth {
        guard let text else { return Day.from(now).monthOfYear }
        guard let month = YearMonth(String(text)) else {
            throw APIError.badRequest(field: "month", "“\(text)”不是月份（YYYY-MM，例如 2026-11）")
        }
        try InputBounds.day(month.first, field: "month")
        return month
    }

    /// A page names the request field at fault in its title (`month：…`), as the API's `field` does.
    static func naming(_ error: any Error) -> any Error {
        let api = ErrorMiddleware<BasicRequestContext>.map(error)
        guard let field = api.field else { return api }
        return APIError(status: api.status, code: api.code, message: "\(field)：\(api.message)", field: field)
    }
}
