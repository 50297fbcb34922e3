import Foundation
import Hummingbird
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// The built site on disk, as the server may read it: a file is answered only when its real
/// path, every symlink resolved, lies inside the site folder's real path and is not one of
/// the server's own secrets (database, WAL, keys). The folder is resolved on every request,
/// so a rebuild that swaps it is seen at once. A file is read through the descriptor that was
/// checked, so its size and its bytes always belong to the same file, even mid-rebuild.
public final class SiteFolder: FileProvider, Sendable {
    public let path: String
    /// Real paths never served, whatever the folder holds.
    private let forbidden: Set<String>
    /// The folder inside the site that holds the pages as of today, when the build wrote one
    /// (`.redline/as-of/<day>`): asked first, so a version takes effect on its day without a rebuild.
    private let variant: @Sendable () -> String?

    public init(path: String, forbidden: [String] = [], variant: @escaping @Sendable () -> String? = { nil }) {
        self.path = path
        self.forbidden = Set(forbidden.compactMap(Self.realPath))
        self.variant = variant
    }

    /// Opens `urlPath` (decoded, starting with `/`) when it names a file or folder inside the site:
    /// today's variant of it if there is one, else the site's own.
    public func open(_ urlPath: String) -> OpenedFile? {
        guard !urlPath.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }), let root = Self.realPath(path) else { return nil }
        let relative = urlPath.hasPrefix("/") ? urlPath : "/" + urlPath
        if let folder = variant(), let file = open(relative: "/" + folder + relative, root: root) { return file }
        return open(relative: relative, root: root)
    }

    private func open(relative: String, root: String) -> OpenedFile? {
        guard let real = Self.realPath(root + relative),
              real == root || real.hasPrefix(root + "/"), !forbidden.contains(real) else { return nil }
        let descriptor = Glibc.open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY)
        guard descriptor >= 0 else { return nil }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            close(descriptor)
            return nil
        }
        let type = status.st_mode & S_IFMT
        guard type == S_IFREG || type == S_IFDIR else {
            close(descriptor)
            return nil
        }
        return OpenedFile(descriptor: descriptor, isFolder: type == S_IFDIR, size: Int(status.st_size),
                          // To the nanosecond: the ETag is made of it and the size, and a rebuild (or the
                          // page of another day) in the same second must not look unchanged.
                          modificationDate: Date(timeIntervalSince1970: TimeInterval(status.st_mtim.tv_sec) + TimeInterval(status.st_mtim.tv_nsec) / 1e9))
    }

    /// The whole file at `urlPath`, or nil when it is not a file inside the site.
    public func contents(_ urlPath: String) -> (data: ByteBuffer, file: OpenedFile)? {
        guard let file = open(urlPath), !file.isFolder, let data = file.read(offset: 0, count: file.size) else { return nil }
        return (data, file)
    }

    static func realPath(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    // MARK: FileProvider

    public func getFileIdentifier(_ path: String) -> OpenedFile? { open(path) }

    public func getAttributes(id: OpenedFile) async throws -> OpenedFile? { id }

    public func loadFile(id: OpenedFile, context: some RequestContext) async throws -> ResponseBody {
        try body(id, range: 0...max(0, id.size - 1))
    }

    public func loadFile(id: OpenedFile, range: ClosedRange<Int>, context: some RequestContext) async throws -> ResponseBody {
        try body(id, range: range)
    }

    private func body(_ file: OpenedFile, range: ClosedRange<Int>) throws -> ResponseBody {
        let count = file.size == 0 ? 0 : range.count
        return ResponseBody(contentLength: count) { writer in
            var offset = range.lowerBound
            let end = range.lowerBound + count
            while offset < end {
                let chunk = min(256 * 1024, end - offset)
                guard let buffer = file.read(offset: offset, count: chunk), buffer.readableBytes > 0 else {
                    throw HTTPError(.internalServerError)
                }
                try await writer.write(buffer)
                offset += buffer.readableBytes
            }
            try await writer.finish(nil)
        }
    }
}

/// A file opened for one answer; closed when the answer no longer needs it.
public final class OpenedFile: FileMiddlewareFileAttributes, @unchecked Sendable {
    private let descriptor: Int32
    public let isFolder: Bool
    public let size: Int
    public let modificationDate: Date

    init(descriptor: Int32, isFolder: Bool, size: Int, modificationDate: Date) {
        self.descriptor = descriptor
        self.isFolder = isFolder
        self.size = size
        self.modificationDate = modificationDate
    }

    deinit { close(descriptor) }

    /// Up to `count` bytes from `offset`; nil on a read error.
    func read(offset: Int, count: Int) -> ByteBuffer? {
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        var total = 0
        while total < count {
            let read = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count - total) { pointer in
                let result = pread(descriptor, pointer.baseAddress, count - total, off_t(offset + total))
                return result < 0 ? 0 : result
            }
            if read == 0 { break }
            total += read
        }
        return buffer
    }
}
