/// A field value to set, already checked against the field's type.
package struct FieldAssignment: Sendable, Equatable {
    package let key: String
    package let name: String
    package let type: FieldType
    package let value: String

    package init(key: String, name: String, type: FieldType, value: String) {
        self.key = key
        self.name = name
        self.type = type
        self.value = value
    }
}
