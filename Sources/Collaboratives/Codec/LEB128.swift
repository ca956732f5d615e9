/// Unsigned LEB128 varints, as the stored payload (``BinaryPayload``) and the present-view checkpoint
/// write them: seven bits a byte, least significant first, the high bit set on every byte but the last.
enum LEB128 {
    /// Appends `value` to `bytes`.
    static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Reads a varint a byte at a time: each reader feeds it the bytes it reads, with its own errors.
    struct Decoder {
        private var value: UInt64 = 0
        private var shift: UInt64 = 0

        /// What a byte did to the varint.
        enum Step: Equatable {
            /// More bytes follow.
            case more
            /// That was the last byte: the value, and whether it was written in its shortest form (no
            /// last byte of 0 after the first).
            case done(UInt64, shortest: Bool)
            /// The value does not fit in 64 bits.
            case overflow
        }

        /// Takes the next byte.
        mutating func take(_ byte: UInt8) -> Step {
            guard shift < 64, shift < 63 || byte <= 1 else { return .overflow }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return .done(value, shortest: byte != 0 || shift == 0) }
            shift += 7
            return .more
        }
    }
}
