/// A window onto a list's matches: `limit` items from the `offset`-th (``LookupPage``, ``RepairPage``).
public protocol PageWindow {
    var limit: Int { get }
    var offset: Int { get }
}

/// How many items matched and which of them a page shows: the `page` object of the lookup and of
/// `repair list` (`{"total", "truncated", "limit", "offset", "next_offset"}`), so a client reads
/// every list's paging the same way.
public struct Paging: Sendable, Codable, Equatable {
    /// How many items matched in the caller's scope; the page is a window onto them.
    public let total: Int
    /// Whether items matched that this page does not show.
    public let truncated: Bool
    public let limit: Int
    public let offset: Int
    /// Where the next page starts; null on the last page.
    @EncodedAsNull public var next_offset: Int?

    public init(total: Int, shown: Int, page: some PageWindow) {
        self.total = total
        truncated = shown < total
        limit = page.limit
        offset = page.offset
        let next = page.offset + shown
        next_offset = shown > 0 && next < total ? next : nil
    }
}
