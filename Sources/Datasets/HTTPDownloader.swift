import Foundation
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Downloads an HTTP(S) resource with `URLSession`, streaming the body to a file as it arrives
/// and stopping at a size limit (a server that sends an endless body, or a bomb, is cut off, not
/// buffered), turning every failure into a ``DatasetError`` that names the URL.
enum HTTPDownloader {
    /// Downloads the body of a `200 OK` response to a GET of `address` into the file `path`
    /// (created or truncated), and returns its size.
    ///
    /// `timeout` is the longest wait for data, in seconds. A body shorter than the response's
    /// `Content-Length` (a dropped connection), or longer than `maximumBytes`, is a failure,
    /// never a short result; the file is then removed.
    /// - Throws: ``DatasetError/downloadFailed(url:reason:)`` or ``DatasetError/httpStatus(url:status:)``.
    static func download(
        _ address: String, to path: String, maximumBytes: Int, timeout: Double
    ) async throws(DatasetError) -> Int {
        guard let url = URL(string: address), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", url.host != nil else {
            throw .downloadFailed(url: address, reason: "not an http:// or https:// URL")
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .writeFailed(path: path, reason: String(cString: strerror(errno))) }
        let sink = BodySink(descriptor: descriptor, maximumBytes: maximumBytes)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = max(timeout, 3600)
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        let session = URLSession(configuration: configuration, delegate: sink, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        let outcome: (response: URLResponse?, error: (any Error)?) = await withCheckedContinuation { continuation in
            sink.finish = { response, error in continuation.resume(returning: (response, error)) }
            session.dataTask(with: request).resume()
        }
        close(descriptor)
        do {
            let size = try sink.checkedSize(outcome.response, outcome.error, address: address, timeout: timeout)
            return size
        } catch {
            unlink(path)
            throw error
        }
    }

    /// A one-line reason for a `URLSession` failure: curl's own message where Foundation keeps it.
    static func reason(for error: any Error, timeout: Double) -> String {
        if let urlError = error as? URLError {
            switch urlError.code {
            case .timedOut: return "no data for \(Int(timeout)) s (timed out)"
            case .cannotConnectToHost: return "cannot connect to the host (connection refused)"
            case .cannotFindHost, .dnsLookupFailed: return "cannot resolve the host name (offline?)"
            case .notConnectedToInternet: return "not connected to the internet"
            case .networkConnectionLost: return "the connection was lost"
            default: break
            }
        }
        var current: NSError? = error as NSError
        while let nsError = current {
            if let message = nsError.userInfo[NSLocalizedDescriptionKey] as? String,
               !message.isEmpty, message != "(null)" {
                return message
            }
            current = nsError.userInfo[NSUnderlyingErrorKey] as? NSError
        }
        return String(describing: error)
    }
}

/// Writes a response body to a file as it arrives, and cancels the task when it passes the limit.
private final class BodySink: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let descriptor: Int32
    let maximumBytes: Int
    private let lock = NSLock()
    private var received = 0
    private var failure: String?
    /// Called once, when the task ends.
    var finish: ((URLResponse?, (any Error)?) -> Void)?

    init(descriptor: Int32, maximumBytes: Int) {
        self.descriptor = descriptor
        self.maximumBytes = maximumBytes
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        lock.withLock {
            guard failure == nil else { return }
            guard received + data.count <= maximumBytes else {
                failure = "the server sent more than the \(maximumBytes) bytes this file can have"
                dataTask.cancel()
                return
            }
            let written = data.withUnsafeBytes { raw -> Bool in
                var offset = 0
                while offset < raw.count {
                    let result = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                    if result < 0 {
                        if errno == EINTR { continue }
                        return false
                    }
                    offset += result
                }
                return true
            }
            if written {
                received += data.count
            } else {
                failure = "cannot write the download: \(String(cString: strerror(errno)))"
                dataTask.cancel()
            }
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let finish = lock.withLock { () -> ((URLResponse?, (any Error)?) -> Void)? in
            defer { self.finish = nil }
            return self.finish
        }
        finish?(task.response, error)
    }

    /// The body's size, after checking the outcome: no error, status 200, the whole body.
    func checkedSize(_ response: URLResponse?, _ error: (any Error)?, address: String, timeout: Double) throws(DatasetError) -> Int {
        let (size, failure) = lock.withLock { (received, self.failure) }
        if let failure { throw .downloadFailed(url: address, reason: failure) }
        if let error { throw .downloadFailed(url: address, reason: HTTPDownloader.reason(for: error, timeout: timeout)) }
        guard let http = response as? HTTPURLResponse else {
            throw .downloadFailed(url: address, reason: "the response is not HTTP")
        }
        guard http.statusCode == 200 else { throw .httpStatus(url: address, status: http.statusCode) }
        let expected = http.expectedContentLength
        if expected >= 0 && Int64(size) != expected {
            throw .downloadFailed(url: address, reason: "the connection closed after \(size) of \(expected) bytes")
        }
        return size
    }
}
