extension Format {
    /// A count with its noun, singular for one: `1 customer`, `2 customers`, `1,000 rows`.
    public static func count(_ value: Int, _ singular: String, plural: String? = nil) -> String {
        count(value) + " " + (value == 1 ? singular : plural ?? singular + "s")
    }
}
