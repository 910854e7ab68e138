/// A condition on one row, tested in the inner loop of a scan over every customer.
///
/// A protocol rather than a closure so that `RowSet.matching` is specialized for each condition and the test is
/// inlined into the loop: a closure call per row made `city = madrid` three times slower.
protocol RowPredicate {
    func callAsFunction(_ row: Int) -> Bool
}
