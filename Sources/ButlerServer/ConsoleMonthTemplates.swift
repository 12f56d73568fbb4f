/// The templates of /project/report, the manager's month (issue 16), registered by ConsoleTemplates.
enum ConsoleMonthTemplates {
    static let all: [(String, String)] = []
}
