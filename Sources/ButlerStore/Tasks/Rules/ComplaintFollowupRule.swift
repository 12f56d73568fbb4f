import ButlerCore

/// 002 #19, 001, 000: a complaint touchpoint opens a follow-up due the next working day
/// (ComplaintStore.open); closing the complaint with its result completes it. Late ones are
/// escalated by the deadline sweep (EscalationRule).
struct ComplaintFollowupRule: TaskRule {
    let standards: [StandardCode] = [.complaintFollowup]
    var tunables: [StandardCode: Set<TunableColumn>] { [.complaintFollowup: [.workingDays]] }
}
