/// Composes greyscale tiles of `tileHeight × tileWidth` pixels into a grid image, such as ten
/// samples of each of ten classes, or originals and reconstructions side by side.
///
/// Tiles are magnified by an integer ``scale`` (nearest neighbour, so pixels stay sharp) and
/// separated, and surrounded, by ``padding`` pixels of the ``background`` grey. Unset tiles stay
/// background. Output sizes:
///
///     pixelWidth  = columns × tileWidth × scale + (columns + 1) × padding
///     pixelHeight = rows × tileHeight × scale + (rows + 1) × padding
///
/// Example:
///
///     var grid = ImageGrid(rows: 10, columns: 10, tileWidth: 28, tileHeight: 28, scale: 2)
///     grid.setTile(row: 0, column: 0, intensities: firstImage)   // Floats in [0, 1]
///     let png = grid.image().encoded()
public struct ImageGrid: Sendable {
    /// The number of tile rows.
    public let rows: Int
    /// The number of tile columns.
    public let columns: Int
    /// The width of one tile before magnification.
    public let tileWidth: Int
    /// The height of one tile before magnification.
    public let tileHeight: Int
    /// The pixels between tiles and around the grid, after magnification.
    public let padding: Int
    /// The magnification factor (1 keeps the tiles' size).
    public let scale: Int
    /// The grey of padding and unset tiles (0 black, 255 white).
    public let background: UInt8
    /// The composed pixels, `pixelHeight × pixelWidth`, row-major.
    public private(set) var pixels: [UInt8]

    /// An empty grid (all background).
    public init(
        rows: Int, columns: Int, tileWidth: Int, tileHeight: Int, padding: Int = 2, scale: Int = 1,
        background: UInt8 = 255
    ) {
        precondition(rows > 0 && columns > 0, "an image grid needs at least one tile, not \(rows)×\(columns)")
        precondition(tileWidth > 0 && tileHeight > 0, "tiles must be at least 1×1, not \(tileHeight)×\(tileWidth)")
        precondition(padding >= 0, "padding cannot be negative (\(padding))")
        precondition(scale >= 1, "the scale factor must be at least 1, not \(scale)")
        self.rows = rows
        self.columns = columns
        self.tileWidth = tileWidth
        self.tileHeight = tileHeight
        self.padding = padding
        self.scale = scale
        self.background = background
        let width = columns * tileWidth * scale + (columns + 1) * padding
        let height = rows * tileHeight * scale + (rows + 1) * padding
        pixels = [UInt8](repeating: background, count: width * height)
    }

    /// A grid of `tiles[row][column]`, each `tileHeight × tileWidth` intensities in [0, 1];
    /// rows may hold fewer tiles than the longest row (the rest stay background).
    public init(
        tiles: [[[Float]]], tileWidth: Int, tileHeight: Int, padding: Int = 2, scale: Int = 1,
        background: UInt8 = 255
    ) {
        self.init(
            rows: max(tiles.count, 1), columns: max(tiles.map(\.count).max() ?? 1, 1), tileWidth: tileWidth,
            tileHeight: tileHeight, padding: padding, scale: scale, background: background)
        for (row, rowTiles) in tiles.enumerated() {
            for (column, tile) in rowTiles.enumerated() {
                setTile(row: row, column: column, intensities: tile)
            }
        }
    }

    /// The width of the composed image in pixels.
    public var pixelWidth: Int { columns * tileWidth * scale + (columns + 1) * padding }
    /// The height of the composed image in pixels.
    public var pixelHeight: Int { rows * tileHeight * scale + (rows + 1) * padding }

    /// The top-left pixel of tile (`row`, `column`) in the composed image.
    public func tileOrigin(row: Int, column: Int) -> (x: Int, y: Int) {
        (padding + column * (tileWidth * scale + padding), padding + row * (tileHeight * scale + padding))
    }

    /// Places a tile of `tileHeight × tileWidth` bytes (0 black, 255 white), row-major.
    public mutating func setTile(row: Int, column: Int, pixels tile: some Collection<UInt8>) {
        precondition(row >= 0 && row < rows && column >= 0 && column < columns,
                     "tile (\(row), \(column)) is outside a \(rows)×\(columns) grid")
        precondition(tile.count == tileWidth * tileHeight,
                     "a \(tileHeight)×\(tileWidth) tile needs \(tileWidth * tileHeight) pixels, not \(tile.count)")
        let source = Array(tile)
        let origin = tileOrigin(row: row, column: column)
        let width = pixelWidth
        for sourceRow in 0..<tileHeight {
            for repeatRow in 0..<scale {
                let targetRow = origin.y + sourceRow * scale + repeatRow
                var target = targetRow * width + origin.x
                for sourceColumn in 0..<tileWidth {
                    let value = source[sourceRow * tileWidth + sourceColumn]
                    for _ in 0..<scale {
                        pixels[target] = value
                        target += 1
                    }
                }
            }
        }
    }

    /// Places a tile of `tileHeight × tileWidth` intensities in [0, 1] (0 black, 1 white),
    /// row-major; values outside are clamped and NaN becomes black.
    public mutating func setTile(row: Int, column: Int, intensities tile: some Collection<Float>) {
        setTile(row: row, column: column, pixels: tile.map(PNGImage.byte))
    }

    /// The composed image.
    public func image() -> PNGImage {
        PNGImage(width: pixelWidth, height: pixelHeight, colorType: .greyscale, pixels: pixels)
    }
}
