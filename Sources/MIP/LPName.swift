/// Names as they reach GLPK and CPLEX LP files.
///
/// The rule: a name keeps letters, digits and `!"$%&()/,.;?@_`'{}|` as they are, `-`
/// becomes `~`, and every other byte (including `#` and `~`) becomes `#` and two hex
/// digits; a first character that LP forbids there (a digit or `.`), and the first
/// letter of a name that is an LP keyword or could read as an exponent (`e1`), are escaped the same way. The mapping is
/// injective, so distinct model names stay distinct in the file, and readable:
/// `capacity(g12,mon_am1)` and `x(c-1042,s3)` come out as `capacity(g12,mon_am1)` and
/// `x(c~1042,s3)`.
public enum LPName {
    /// GLPK rejects longer names by aborting the process.
    public static let maximumLength = 255

    private static let plain: Set<UInt8> = Set(Array("!\"$%&()/,.;?@_`'{}|".utf8))
    private static let keywords: Set<String> = [
        "st", "s.t.", "st.", "subject", "such", "to", "bounds", "bound", "general", "generals",
        "gen", "integer", "integers", "int", "binary", "binaries", "bin", "end", "free", "inf",
        "infinity", "minimize", "maximize", "minimum", "maximum", "min", "max", "minimise",
        "maximise",
    ]

    public static func mangle(_ name: String) -> String {
        let bytes = Array(name.utf8)
        let escapeFirst = keywords.contains(name.lowercased()) || looksLikeExponent(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 4)
        for (position, byte) in bytes.enumerated() {
            let isLetterOrDigit =
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            let forbiddenFirst =
                position == 0 && (escapeFirst || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "."))
            if forbiddenFirst {
                out.append(contentsOf: escape(byte))
            } else if byte == UInt8(ascii: "-") && position > 0 {
                out.append(UInt8(ascii: "~"))
            } else if isLetterOrDigit || plain.contains(byte) {
                out.append(byte)
            } else {
                out.append(contentsOf: escape(byte))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// CPLEX reserves `e`/`E` at the start of a name when what follows could continue a
    /// number's exponent.
    private static func looksLikeExponent(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first, first == UInt8(ascii: "e") || first == UInt8(ascii: "E") else { return false }
        guard bytes.count > 1 else { return true }
        let next = bytes[1]
        return (next >= 0x30 && next <= 0x39) || next == UInt8(ascii: "+") || next == UInt8(ascii: "-")
            || next == UInt8(ascii: "e") || next == UInt8(ascii: "E")
    }

    private static func escape(_ byte: UInt8) -> [UInt8] {
        let hex = Array("0123456789abcdef".utf8)
        return [UInt8(ascii: "#"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
    }
}
