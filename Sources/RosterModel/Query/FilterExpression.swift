/// A parsed filter, before it is checked against a working set's fields.
indirect enum FilterExpression: Equatable, Sendable {
    /// `field OP value`, contains (`~`) included.
    case comparison(Comparison)
    /// `has email|sms|push`, or `has FIELD` (the field has a non-blank value).
    case has(Name)
    /// `consent email|sms|push`: consent on and the channel present.
    case consent(Channel)
    /// `birthday = today`, at the position of `birthday`.
    case birthdayToday(FilterPosition)
    case not(FilterExpression)
    case and(FilterExpression, FilterExpression)
    case or(FilterExpression, FilterExpression)
    /// `@NAME`: a saved segment's expression, read in its place.
    case segment(SegmentReference)

    /// A saved segment named in a filter, with its expression parsed; errors found when it runs name it.
    struct SegmentReference: Equatable, Sendable {
        /// The name as saved.
        let name: String
        /// Where `@NAME` is in the query that names it.
        let position: FilterPosition
        let expression: FilterExpression

        /// An error inside the segment's expression, moved to the `@NAME` of the query and saying where it is.
        func error(_ inner: FilterError) -> FilterError {
            Self.error(inner, in: name, at: position)
        }

        static func error(_ inner: FilterError, in name: String, at position: FilterPosition) -> FilterError {
            FilterError("in @\(name), at \(inner.line):\(inner.column) of its filter: \(inner.message)", at: position)
        }
    }

    /// A field name or value as written, with its position for error messages.
    struct Name: Equatable, Sendable {
        let text: String
        let position: FilterPosition
    }

    /// A comparison operator.
    enum Operator: Equatable, Sendable {
        case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual, contains

        var symbol: String {
            switch self {
            case .equal: return "="
            case .notEqual: return "!="
            case .less: return "<"
            case .lessOrEqual: return "<="
            case .greater: return ">"
            case .greaterOrEqual: return ">="
            case .contains: return "~"
            }
        }

        /// Whether an order `compare(value, operand)` (<0, 0, >0) satisfies this operator.
        @inline(__always)
        func accepts(order: Int) -> Bool {
            switch self {
            case .equal: return order == 0
            case .notEqual: return order != 0
            case .less: return order < 0
            case .lessOrEqual: return order <= 0
            case .greater: return order > 0
            case .greaterOrEqual: return order >= 0
            case .contains: return false
            }
        }
    }

    /// `field OP value`, or `field year OP value` / `field month OP value` for a part of a date.
    struct Comparison: Equatable, Sendable {
        let field: Name
        let comparison: Operator
        let operatorPosition: FilterPosition
        let value: Name
        var datePart: DatePart? = nil
    }

    /// The part of a date a comparison reads: `birthdate year = 1990`, `birthdate month = 12`.
    enum DatePart: String, Equatable, Sendable {
        case year, month
    }
}
