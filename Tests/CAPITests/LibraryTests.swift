import CMLP
import LinearAlgebra
import MLPCore
import MLPCAPI
import Testing

@Suite struct LibraryTests {
    @Test func versionAndStatusNames() {
        // mlp_version() is the header's MLP_API_VERSION.
        #expect(String(cString: mlpVersion()) == "\(MLP_API_VERSION_MAJOR).\(MLP_API_VERSION_MINOR).\(MLP_API_VERSION_PATCH)")
        #expect(String(cString: mlpStatusName(MLP_ERROR_SHAPE)) == "MLP_ERROR_SHAPE")
        #expect(String(cString: mlpStatusName(mlp_status(rawValue: 999))) == "MLP_UNKNOWN_STATUS")
    }

    @Test("mlp_kernel_path names the kernels in use, a path this CPU runs")
    func kernelPath() {
        let name = String(cString: mlpKernelPath())
        #expect(name == Kernels.activePath.rawValue)
        #expect(KernelPath.runnable.map(\.rawValue).contains(name))
    }
}
