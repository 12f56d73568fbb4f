/// The templates of /me/repairs, the technician's orders (issue 16), registered by ConsoleTemplates.
enum ConsoleRepairTemplates {
    static let all: [(String, String)] = []
}
