import ButlerCore

/// 002 #13-15, #25: an inspection of an entrusted or vacant house opens its report to the owner,
/// due the standard's deadline_hours later (InspectionReports.open); `inspect report` completes it.
struct InspectionReportRule: TaskRule {
    let standards: [StandardCode] = [.inspectionReport]
}
