import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 server on 127.0.0.1 for the fetcher's tests.
///
/// It listens on an ephemeral port, answers each GET from `routes` on a background thread and
/// closes every connection after one response. It is bounded: it stops after `maximumConnections`
/// connections or `lifetime` seconds, whichever comes first, or when ``stop()`` is called. The
/// lifetime only bounds a test that never calls ``stop()``: tests run in parallel with long
/// training tests on two cores, so a test may take far longer than its own work needs.
final class LocalHTTPServer: @unchecked Sendable {
    /// What the server answers for one path.
    enum Reply: Sendable {
        /// `200 OK` with this body.
        case body([UInt8])
        /// This status with a short text body.
        case status(Int)
        /// `200 OK` declaring `declaredLength` bytes, sending only `sent`, then closing.
        case dropped(declaredLength: Int, sent: [UInt8])
        /// `200 OK` with a chunked body that never ends (until the client goes away).
        case endless
    }

    struct ServerError: Error, CustomStringConvertible {
        let description: String
    }

    /// The port the server listens on.
    let port: UInt16
    /// The base URL, `http://127.0.0.1:<port>/`.
    var baseURL: String { "http://127.0.0.1:\(port)/" }

    private let listener: Int32
    private let routes: [String: Reply]
    private let lock = NSLock()
    private var stopped = false
    private var requested: [String] = []
    private let finished = DispatchSemaphore(value: 0)

    /// The paths requested so far, in order.
    var requestedPaths: [String] {
        lock.lock()
        defer { lock.unlock() }
        return requested
    }

    init(routes: [String: Reply], maximumConnections: Int = 16, lifetime: Double = 900) throws {
        self.routes = routes
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw ServerError(description: "socket failed: errno \(errno)") }
        var reuse: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(listener, 8) == 0 else {
            let code = errno
            close(listener)
            throw ServerError(description: "bind/listen failed: errno \(code)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in
            serve(maximumConnections: maximumConnections, deadline: Date().addingTimeInterval(lifetime))
        }
        thread.start()
    }

    /// Stops the server and waits for its thread to end. (The thread holds the server until it
    /// ends, at the latest after `lifetime`.)
    func stop() {
        lock.lock()
        let wasStopped = stopped
        stopped = true
        lock.unlock()
        if !wasStopped { finished.wait() }
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    private func serve(maximumConnections: Int, deadline: Date) {
        defer {
            close(listener)
            finished.signal()
        }
        var served = 0
        while served < maximumConnections && Date() < deadline && !isStopped {
            var descriptor = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 50) > 0 else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            served += 1
            handle(connection)
        }
    }

    private func handle(_ connection: Int32) {
        defer { close(connection) }
        // A client that stops reading without closing makes send fail after 60 s instead of
        // blocking the server (and stop()) for good.
        var sendTimeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_SNDTIMEO, &sendTimeout, socklen_t(MemoryLayout<timeval>.size))
        // The client may be starved of the CPU for seconds by tests running beside this one, and a
        // signal (a child process ending) interrupts a waiting recv: wait for the request in short
        // polls until a generous deadline, and only give up on an error or end of stream.
        let requestDeadline = Date().addingTimeInterval(60)
        var request: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !request.containsHeaderEnd {
            guard Date() < requestDeadline, !isStopped else { return }
            var descriptor = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 100) > 0 else { continue }
            let count = recv(connection, &chunk, chunk.count, 0)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            request += chunk[0..<count]
        }
        let firstLine = String(decoding: request.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        let words = firstLine.split(separator: " ")
        let path = words.count >= 2 ? String(words[1]) : "/"
        lock.lock()
        requested.append(path)
        lock.unlock()

        switch routes[path] ?? .status(404) {
        case .body(let body):
            _ = sendAll(connection, header(status: 200, length: body.count) + body)
        case .status(let status):
            let body = Array("status \(status)\n".utf8)
            _ = sendAll(connection, header(status: status, length: body.count) + body)
        case .dropped(let declaredLength, let sent):
            _ = sendAll(connection, header(status: 200, length: declaredLength) + sent)
            shutdown(connection, Int32(SHUT_WR))
        case .endless:
            let head = Array("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
            guard sendAll(connection, head) else { return }
            let chunk = Array("10000\r\n".utf8) + [UInt8](repeating: 0x41, count: 0x10000) + Array("\r\n".utf8)
            // At most 1 GiB: a client that never stops reading still ends the test.
            for _ in 0..<16_384 { guard sendAll(connection, chunk) else { break } }
        }
    }

    /// Sends all of `bytes`; false when the client has gone.
    private func sendAll(_ connection: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        return bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                let result = Glibc.send(connection, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if result < 0 && errno == EINTR { continue }
                if result <= 0 { return false }
                offset += result
            }
            return true
        }
    }

    private func header(status: Int, length: Int) -> [UInt8] {
        let reason = status == 200 ? "OK" : status == 404 ? "Not Found" : "Error"
        return Array(("HTTP/1.1 \(status) \(reason)\r\nContent-Type: application/octet-stream\r\n"
                      + "Content-Length: \(length)\r\nConnection: close\r\n\r\n").utf8)
    }
}

private extension [UInt8] {
    var containsHeaderEnd: Bool {
        guard count >= 4 else { return false }
        for index in 3..<count where self[index - 3] == 13 && self[index - 2] == 10 && self[index - 1] == 13 && self[index] == 10 {
            return true
        }
        return false
    }
}
