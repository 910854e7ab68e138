/// The semantic style of a cell; a theme gives each slot its colours and attributes.
public enum Slot: String, CaseIterable, Sendable, Hashable {
    case body, header, selection, status, dim, accent, error, masked
}
