/// The conditions filters scan rows with; each holds the buffers it reads, valid for the duration of one scan.
enum RowPredicates {
    /// Any test, through a closure call per row.
    struct Closure: RowPredicate {
        let test: (Int) -> Bool
        @inline(__always) func callAsFunction(_ row: Int) -> Bool { test(row) }
    }

    /// Folded text equal (or, with `wanted` false, not equal) to a folded value; a missing value equals "".
    struct TextEquals: RowPredicate {
        let bytes: UnsafePointer<UInt8>
        let starts: UnsafeBufferPointer<UInt32>
        let needle: UnsafeBufferPointer<UInt8>
        let wanted: Bool

        @inline(__always)
        func callAsFunction(_ row: Int) -> Bool {
            let start = Int(starts[row])
            // A missing value has no bytes and counts as "": its length is 0, not -1.
            var equal = max(0, Int(starts[row + 1]) - start - 1) == needle.count
            if equal {
                var index = 0
                while index < needle.count {
                    if bytes[start + index] != needle[index] {
                        equal = false
                        break
                    }
                    index += 1
                }
            }
            return equal == wanted
        }
    }

    /// Folded text, present, ordered against a folded value as `comparison` asks.
    struct TextOrder: RowPredicate {
        let column: FoldedTextColumn
        let buffer: UnsafeBufferPointer<UInt8>
        let needle: UnsafeBufferPointer<UInt8>
        let comparison: FilterExpression.Operator

        @inline(__always)
        func callAsFunction(_ row: Int) -> Bool {
            column.length(row) > 0 && comparison.accepts(order: column.compare(row, with: needle, in: buffer))
        }
    }

    /// Packed dates (-1 when missing) inside a range, or outside it for `!=`: every comparison is one range test,
    /// without a branch per row, and a missing date falls outside every range.
    struct DateRange: RowPredicate {
        let dates: UnsafeBufferPointer<Int32>
        let lower: Int32
        let width: UInt32
        let inside: Bool

        init(dates: UnsafeBufferPointer<Int32>, value: Int32, comparison: FilterExpression.Operator) {
            self.dates = dates
            let (lower, upper): (Int32, Int32) =
                switch comparison {
                case .equal, .notEqual, .contains: (value, value)
                // From year 1: a birthday stored without a year (`--MM-DD`, year 0) is before no date.
                case .less: (1 << 9, value - 1)
                case .lessOrEqual: (1 << 9, value)
                case .greater: (value + 1, .max)
                case .greaterOrEqual: (value, .max)
                }
            self.lower = lower
            width = upper >= lower ? UInt32(bitPattern: upper &- lower) : 0
            inside = comparison != .notEqual && upper >= lower
        }

        @inline(__always)
        func callAsFunction(_ row: Int) -> Bool {
            (UInt32(bitPattern: dates[row] &- lower) <= width) == inside
        }
    }

    /// Numbers (NaN when missing) inside a closed range, or outside it for `!=`: NaN is inside no range, so every
    /// comparison but `!=` is false for a missing number.
    struct NumberRange: RowPredicate {
        let numbers: UnsafeBufferPointer<Double>
        let lower: Double
        let upper: Double
        let inside: Bool

        init(numbers: UnsafeBufferPointer<Double>, value: Double, comparison: FilterExpression.Operator) {
            self.numbers = numbers
            (lower, upper) =
                switch comparison {
                case .equal, .notEqual, .contains: (value, value)
                case .less: (-.infinity, value.nextDown)
                case .lessOrEqual: (-.infinity, value)
                case .greater: (value.nextUp, .infinity)
                case .greaterOrEqual: (value, .infinity)
                }
            inside = comparison != .notEqual
        }

        @inline(__always)
        func callAsFunction(_ row: Int) -> Bool {
            let number = numbers[row]
            return (number >= lower && number <= upper) == inside
        }
    }

    /// Packed dates whose month and day are one of two (the same twice when only one counts).
    struct MonthDay: RowPredicate {
        let dates: UnsafeBufferPointer<Int32>
        let first: Int32
        let second: Int32

        @inline(__always)
        func callAsFunction(_ row: Int) -> Bool {
            let date = dates[row]
            let monthDay = date & CalendarDate.monthDayMask
            return date >= 0 && (monthDay == first || monthDay == second)
        }
    }
}
