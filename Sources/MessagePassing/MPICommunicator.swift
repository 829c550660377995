import CMPI
import NeuralNetwork

/// A ``Communicator`` over MPI (Open MPI 4.1): the processes that `mpirun` started, or a
/// communicator the caller made.
///
/// ``world()`` initialises MPI once per process and returns `MPI_COMM_WORLD`; ``finalize()`` ends
/// MPI before the process exits. Errors are returned, not fatal (`MPI_ERRORS_RETURN`), and thrown
/// as ``CommunicatorError`` with MPI's message. When a rank dies, `mpirun` ends the job, so the
/// other ranks do not wait for it forever.
public final class MPICommunicator: Communicator, @unchecked Sendable {
    public let rank: Int
    public let size: Int
    private let communicator: MPI_Comm

    /// A communicator over `communicator`, which the caller keeps alive (for example one passed in
    /// through the C API as an `MPI_Fint`).
    public init(_ communicator: MPI_Comm) throws(CommunicatorError) {
        self.communicator = communicator
        var rank: Int32 = 0, size: Int32 = 0
        try MPICommunicator.check(MPI_Comm_set_errhandler(communicator, cmpi_errors_return()), "MPI_Comm_set_errhandler")
        try MPICommunicator.check(MPI_Comm_rank(communicator, &rank), "MPI_Comm_rank")
        try MPICommunicator.check(MPI_Comm_size(communicator, &size), "MPI_Comm_size")
        self.rank = Int(rank)
        self.size = Int(size)
    }

    /// The communicator of a Fortran handle (`MPI_Comm_c2f` of a C communicator), for callers
    /// that pass theirs through the C API. MPI must be initialised.
    public convenience init(fortranHandle: Int32) throws(CommunicatorError) {
        guard MPICommunicator.isInitialized else { throw CommunicatorError("MPI is not initialised (call MPI_Init first)") }
        guard let communicator = MPI_Comm_f2c(fortranHandle), communicator != cmpi_comm_null() else {
            throw CommunicatorError("the communicator handle \(fortranHandle) is MPI_COMM_NULL")
        }
        try self.init(communicator)
    }

    /// `MPI_COMM_WORLD`, after initialising MPI if this process has not yet.
    public static func world() throws(CommunicatorError) -> MPICommunicator {
        if !isInitialized {
            var provided: Int32 = 0
            try check(MPI_Init_thread(nil, nil, Int32(MPI_THREAD_FUNNELED), &provided), "MPI_Init_thread")
        }
        guard let world = cmpi_comm_world() else { throw CommunicatorError("MPI_COMM_WORLD is not available") }
        return try MPICommunicator(world)
    }

    /// Whether `MPI_Init` has run in this process.
    public static var isInitialized: Bool {
        var flag: Int32 = 0
        MPI_Initialized(&flag)
        return flag != 0
    }

    /// Ends MPI in this process if it was started and not yet ended (`MPI_Finalize`).
    public static func finalize() {
        var finalized: Int32 = 0
        MPI_Finalized(&finalized)
        if isInitialized && finalized == 0 { MPI_Finalize() }
    }

    /// Whether this process was started by an MPI launcher (`mpirun`, `mpiexec`, `srun`), from the
    /// environment the launchers set.
    public static func isUnderLauncher(environment: [String: String]) -> Bool {
        ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"].contains { environment[$0] != nil }
    }

    public func broadcast(_ buffer: UnsafeMutableRawBufferPointer, from root: Int) throws(CommunicatorError) {
        guard let count = Int32(exactly: buffer.count) else { throw CommunicatorError("a broadcast of \(buffer.count) bytes is too large") }
        try MPICommunicator.check(MPI_Bcast(buffer.baseAddress, count, cmpi_byte(), Int32(root), communicator), "MPI_Bcast")
    }

    public func allgather(_ values: UnsafeRawBufferPointer, into gathered: UnsafeMutableRawBufferPointer) throws(CommunicatorError) {
        precondition(gathered.count == values.count &* size, "allgather of \(values.count) bytes into \(gathered.count)")
        guard let count = Int32(exactly: values.count) else { throw CommunicatorError("an allgather of \(values.count) bytes is too large") }
        try MPICommunicator.check(
            MPI_Allgather(values.baseAddress, count, cmpi_byte(), gathered.baseAddress, count, cmpi_byte(), communicator),
            "MPI_Allgather")
    }

    public func allreduce(_ values: UnsafeMutableBufferPointer<Float>) throws(CommunicatorError) {
        guard let count = Int32(exactly: values.count) else { throw CommunicatorError("an allreduce of \(values.count) floats is too large") }
        try MPICommunicator.check(
            MPI_Allreduce(cmpi_in_place(), values.baseAddress, count, cmpi_float(), cmpi_sum(), communicator), "MPI_Allreduce")
    }

    public func barrier() throws(CommunicatorError) {
        try MPICommunicator.check(MPI_Barrier(communicator), "MPI_Barrier")
    }

    /// Throws MPI's message for a status other than `MPI_SUCCESS`.
    private static func check(_ status: Int32, _ operation: String) throws(CommunicatorError) {
        guard status != MPI_SUCCESS else { return }
        var text = [CChar](repeating: 0, count: Int(MPI_MAX_ERROR_STRING) + 1)
        var length: Int32 = 0
        MPI_Error_string(status, &text, &length)
        let message = String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        throw CommunicatorError("\(operation) failed: \(message)")
    }
}
