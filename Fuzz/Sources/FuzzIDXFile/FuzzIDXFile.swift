import Datasets
import Deflate
import FuzzSupport

/// Feeds the input to the IDX reader as `IDXFile.read(at:expecting:)` and `Dataset.loadIDX` see a
/// file: decompressed when it starts with the gzip magic bytes, then parsed as images (magic
/// 2051) and as labels (magic 2049). What parses is made into a `Dataset` as `loadIDX` does, with
/// labels (or images) of zeros to match, and must encode back to the same bytes. A raw input is
/// also gzip-compressed and read back, so that the decompressor sees valid streams of every size.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDXFile(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = FuzzInput.bytes(start, count)
    if !Zlib.isGzip(bytes) {
        let packed = Zlib.gzip(bytes)
        precondition((try? DatasetFile.decompressedIfGzip(packed, source: "fuzz input")) == bytes,
                     "gzip then gunzip changed \(bytes.count) bytes")
    }
    let content: [UInt8]
    do {
        content = try DatasetFile.decompressedIfGzip(bytes, source: "fuzz input")
    } catch {
        _ = error.description
        return 0
    }
    for kind in IDXFile.Kind.allCases {
        do {
            let file = try IDXFile.parse(content, expecting: kind, source: "fuzz input")
            precondition(file.encoded() == content, "an IDX file of \(kind.noun) does not encode back to its bytes")
            _ = try loadAsDataset(file)
        } catch {
            _ = error.description
        }
    }
    return 0
}

/// A dataset from `file` and a partner of zeros, as `Dataset.loadIDX` pairs an image file with a
/// label file (ten classes, as MNIST).
private func loadAsDataset(_ file: IDXFile) throws(DatasetError) -> Dataset {
    let classNames = Dataset.numericClassNames(10)
    switch file.kind {
    case .images:
        let dataset = try Dataset(
            pixels: file.data, labels: [UInt8](repeating: 0, count: file.itemCount),
            imageHeight: file.dimensions[1], imageWidth: file.dimensions[2], classNames: classNames)
        if dataset.sampleCount > 0 { _ = dataset.image(at: dataset.sampleCount - 1) }
        return dataset
    case .labels:
        return try Dataset(
            pixels: [UInt8](repeating: 0, count: file.itemCount), labels: file.data,
            imageHeight: 1, imageWidth: 1, classNames: classNames)
    }
}
