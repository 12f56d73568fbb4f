import ButlerCore

/// 002 #26: a completed value-added order gets a follow-up within the standard's deadline
/// (OrderStore.complete creates it); recording the follow-up (`order followup`) completes it.
struct ServiceFollowupRule: TaskRule {
    let standards: [StandardCode] = [.serviceFollowup]
    var tunables: [StandardCode: Set<TunableColumn>] { [.serviceFollowup: [.deadlineHours]] }
}
