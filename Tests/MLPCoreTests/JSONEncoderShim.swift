import Foundation
import MLPCore

/// JSON round trips for the tests (MLPCore itself does not use Foundation's coders).
enum JSONEncoderShim {
    static func encode(_ scaling: InputScaling) throws -> String {
        String(decoding: try JSONEncoder().encode(scaling), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> InputScaling {
        try JSONDecoder().decode(InputScaling.self, from: Data(text.utf8))
    }
}
