import ButlerCore

/// Raised by the deadline sweep on the project manager's list (DeadlineSweepJob): a complaint
/// not followed up in time, an inspection report not sent in time, a repair order's stage late.
/// The manager marks them done.
struct EscalationRule: TaskRule {
    let standards: [StandardCode] = [.complaintEscalation, .reportEscalation, .repairEscalation]
}
