extension KeyedDecodingContainer {
    /// Replaces `field` with the value under `key` when there is one, so that a file written
    /// before a field existed keeps the field's default.
    func decode<Value: Decodable>(_ key: Key, ifPresentInto field: inout Value) throws {
        if let value = try decodeIfPresent(Value.self, forKey: key) { field = value }
    }
}
