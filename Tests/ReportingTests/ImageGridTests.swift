import Testing
@testable import Reporting

@Suite("Image grid")
struct ImageGridTests {
    @Test("size follows tiles, scale and padding")
    func size() {
        let grid = ImageGrid(rows: 10, columns: 10, tileWidth: 28, tileHeight: 28, padding: 2, scale: 2)
        #expect(grid.pixelWidth == 10 * 56 + 11 * 2)
        #expect(grid.pixelHeight == 10 * 56 + 11 * 2)
        let image = grid.image()
        #expect(image.width == grid.pixelWidth && image.height == grid.pixelHeight)
        #expect(image.colorType == .greyscale)
        #expect(image.pixels.allSatisfy { $0 == 255 })
    }

    @Test("tiles are magnified by nearest neighbour and placed between padding")
    func placement() {
        var grid = ImageGrid(rows: 2, columns: 3, tileWidth: 2, tileHeight: 2, padding: 1, scale: 2, background: 9)
        grid.setTile(row: 1, column: 2, pixels: [10, 20, 30, 40])
        let width = grid.pixelWidth
        #expect(width == 3 * 4 + 4)
        #expect(grid.pixelHeight == 2 * 4 + 3)
        let origin = grid.tileOrigin(row: 1, column: 2)
        #expect(origin.x == 1 + 2 * 5 && origin.y == 1 + 5)
        func pixel(_ x: Int, _ y: Int) -> UInt8 { grid.pixels[y * width + x] }
        let expected: [[UInt8]] = [[10, 10, 20, 20], [10, 10, 20, 20], [30, 30, 40, 40], [30, 30, 40, 40]]
        for dy in 0..<4 {
            for dx in 0..<4 { #expect(pixel(origin.x + dx, origin.y + dy) == expected[dy][dx]) }
        }
        #expect(pixel(origin.x - 1, origin.y) == 9)
        #expect(pixel(0, 0) == 9)
        #expect(grid.pixels.filter { $0 != 9 }.count == 16)
    }

    @Test("float tiles are clamped, NaN is black; rows may be ragged")
    func floatTiles() {
        let grid = ImageGrid(
            tiles: [[[0, 0.5, 1, 2]], [[-1, .nan, 0.25, 0.75], [1, 1, 1, 1]]],
            tileWidth: 2, tileHeight: 2, padding: 0)
        #expect(grid.rows == 2 && grid.columns == 2)
        let width = grid.pixelWidth
        #expect(Array(grid.pixels[0..<2]) == [0, 128])
        #expect(Array(grid.pixels[width..<(width + 2)]) == [255, 255])
        #expect(Array(grid.pixels[(2 * width)..<(2 * width + 4)]) == [0, 0, 255, 255])
        #expect(Array(grid.pixels[(3 * width)..<(3 * width + 2)]) == [64, 191])
        // The missing tile (0, 1) stays background.
        #expect(Array(grid.pixels[2..<4]) == [255, 255])
    }
}
