import CMLP
import MLPCAPI
import Testing

@Suite struct LibraryTests {
    @Test func versionAndStatusNames() {
        #expect(String(cString: mlpVersion()) == "1.0.0")
        #expect(String(cString: mlpStatusName(MLP_ERROR_SHAPE)) == "MLP_ERROR_SHAPE")
        #expect(String(cString: mlpStatusName(mlp_status(rawValue: 999))) == "MLP_UNKNOWN_STATUS")
    }
}
