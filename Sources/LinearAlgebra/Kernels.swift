import KernelsAVX2
import KernelsAVX512
import KernelsBaseline
import MLPCore

/// Our own vector kernels for this CPU, chosen once at start-up.
///
/// The binary carries one ``VectorKernelSet`` per ``KernelPath`` (the same source compiled for each
/// instruction set). ``active`` is the widest one the CPU runs, or the one `MLP_KERNELS` names;
/// the CLI checks that name first (``selectionError``), so a wrong one is reported, not trapped.
public enum Kernels {
    /// The implementation compiled for `path`, or nil when this binary has none for it.
    public static func implementation(for path: KernelPath) -> (any VectorKernelSet)? {
        let table: any VectorKernelSet
        switch path {
        case .baseline: table = KernelsBaseline.kernelTable
        case .avx2: table = KernelsAVX2.kernelTable
        case .avx512: table = KernelsAVX512.kernelTable
        }
        // On an architecture without these instruction sets every target is its baseline.
        return table.path == path ? table : nil
    }

    /// Why `MLP_KERNELS` cannot be used, or nil when it is unset, `auto` or a path this CPU runs.
    public static var selectionError: KernelPathError? {
        do {
            let path = try KernelPath.selected()
            // A build for x86-64 made on another architecture's host compiles every table for
            // the baseline: such a path exists in name only.
            return implementation(for: path) == nil ? .notCompiled(path) : nil
        } catch {
            return error
        }
    }

    /// The kernels in use: `MLP_KERNELS`'s path when this CPU runs it, else the widest it runs
    /// (the baseline where this binary's tables are all baseline, as in a cross-built one).
    public static let active: any VectorKernelSet = {
        implementation(for: (try? KernelPath.selected()) ?? KernelPath.widest) ?? KernelsBaseline.kernelTable
    }()

    /// The path of ``active``.
    public static var activePath: KernelPath { active.path }
}
