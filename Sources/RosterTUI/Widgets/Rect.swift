/// A rectangle of cells.
public struct Rect: Equatable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// The rectangle without `count` rows at the top.
    public func droppingTop(_ count: Int) -> Rect {
        Rect(x: x, y: y + count, width: width, height: height - count)
    }

    /// The rectangle shrunk by `count` cells on the left and the right.
    public func inset(horizontally count: Int) -> Rect {
        Rect(x: x + count, y: y, width: width - 2 * count, height: height)
    }
}
