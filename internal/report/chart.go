package report

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"sync"
)

// The charts are drawn with the standard library's image package and carry no text:
// their captions, written as the document's own paragraphs, say what the lines and bars
// are and the scale, so that they stay editable and need no font in the image.

// The colours of the charts, as indexes into their palette: a chart is a paletted image,
// which PNG stores at a byte a pixel or less, without the per-row filters a full-colour
// image is tried with, so it is encoded several times faster and is smaller.
const (
	white uint8 = iota
	axis
	grid
	blue
	red
	grey
	green
	orange
)

var palette = color.Palette{
	white:  color.RGBA{255, 255, 255, 255},
	axis:   color.RGBA{90, 90, 90, 255},
	grid:   color.RGBA{225, 225, 225, 255},
	blue:   color.RGBA{31, 95, 170, 255},
	red:    color.RGBA{200, 40, 40, 255},
	grey:   color.RGBA{140, 140, 140, 255},
	green:  color.RGBA{46, 125, 50, 255},
	orange: color.RGBA{214, 120, 0, 255},
}

// canvas is an image with a plot area inside margins.
type canvas struct {
	img                    *image.Paletted
	left, top, right, bott int
}

// newCanvas returns a white canvas (white is the palette's first colour, index 0).
func newCanvas(w, h, left, top, right, bottom int) *canvas {
	img := image.NewPaletted(image.Rect(0, 0, w, h), palette)
	return &canvas{img: img, left: left, top: top, right: w - right, bott: h - bottom}
}

// dot fills a square of side 2r+1 at (x, y).
func (c *canvas) dot(x, y, r int, col uint8) {
	c.rect(x-r, y-r, x+r+1, y+r+1, col)
}

// line draws a line of the thickness from (x0, y0) to (x1, y1); dash > 0 leaves gaps
// of dash pixels every dash pixels.
func (c *canvas) line(x0, y0, x1, y1, thick, dash int, col uint8) {
	n := max(abs(x1-x0), abs(y1-y0), 1)
	for i := 0; i <= n; i++ {
		if dash > 0 && (i/dash)%2 == 1 {
			continue
		}
		x := x0 + (x1-x0)*i/n
		y := y0 + (y1-y0)*i/n
		c.dot(x, y, thick/2, col)
	}
}

// rect fills the pixels from (x0, y0) up to but not including (x1, y1), clipped to the
// image.
func (c *canvas) rect(x0, y0, x1, y1 int, col uint8) {
	r := image.Rect(x0, y0, x1, y1).Intersect(c.img.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := c.img.Pix[c.img.PixOffset(r.Min.X, y):c.img.PixOffset(r.Max.X, y)]
		for i := range row {
			row[i] = col
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func (c *canvas) png() []byte {
	var b bytes.Buffer
	encoder.Encode(&b, c.img) // writes to memory do not fail
	return b.Bytes()
}

// encoder reuses its compressor between charts: a report draws one per indicator.
var encoder = png.Encoder{BufferPool: new(bufferPool)}

type bufferPool struct{ p sync.Pool }

func (p *bufferPool) Get() *png.EncoderBuffer {
	b, _ := p.p.Get().(*png.EncoderBuffer)
	return b
}

func (p *bufferPool) Put(b *png.EncoderBuffer) { p.p.Put(b) }

// point is a value in a year; ok false where there is none.
type point struct {
	year int
	v    float64
	ok   bool
}

// scale is a chart's value axis: from lo to hi.
type scale struct{ lo, hi float64 }

// niceScale spans the values with a margin of a tenth each side (a flat series gets ±1).
func niceScale(vs ...float64) scale {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range vs {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if math.IsInf(lo, 0) {
		return scale{0, 1}
	}
	pad := (hi - lo) / 10
	if pad == 0 {
		pad = math.Max(math.Abs(hi)/10, 1)
	}
	return scale{lo - pad, hi + pad}
}

// trendChart draws an indicator's values year by year (blue line and dots) against its
// target (red dashed line), the baseline marked grey at the first year, on the scale.
func trendChart(pts []point, baseline, target float64, hasBaseline, hasTarget bool, s scale) []byte {
	c := newCanvas(640, 240, 40, 16, 24, 28)
	for i := 0; i <= 4; i++ { // grid: quarters of the scale
		y := c.top + (c.bott-c.top)*i/4
		c.line(c.left, y, c.right, y, 1, 0, grid)
	}
	c.line(c.left, c.top, c.left, c.bott, 2, 0, axis)
	c.line(c.left, c.bott, c.right, c.bott, 2, 0, axis)
	n := len(pts)
	xOf := func(i int) int {
		if n <= 1 {
			return (c.left + c.right) / 2
		}
		return c.left + 20 + (c.right-c.left-40)*i/(n-1)
	}
	yOf := func(v float64) int {
		return c.bott - int(math.Round((v-s.lo)/(s.hi-s.lo)*float64(c.bott-c.top)))
	}
	for i := range pts { // year ticks
		c.line(xOf(i), c.bott, xOf(i), c.bott+6, 2, 0, axis)
	}
	if hasTarget {
		y := yOf(target)
		c.line(c.left, y, c.right, y, 3, 8, red)
	}
	prev := -1
	for i, p := range pts {
		if !p.ok {
			continue
		}
		if prev >= 0 {
			c.line(xOf(prev), yOf(pts[prev].v), xOf(i), yOf(p.v), 3, 0, blue)
		}
		prev = i
	}
	for i, p := range pts {
		if p.ok {
			c.dot(xOf(i), yOf(p.v), 4, blue)
		}
	}
	if hasBaseline && n > 0 {
		c.dot(xOf(0), yOf(baseline), 5, grey)
	}
	return c.png()
}

// barChart draws one horizontal bar per value, top to bottom, on a 0–1 scale with lines
// at each quarter; good marks bars at or above threshold green, the others orange.
func barChart(values []float64, threshold float64) []byte {
	const barH, gap = 18, 8
	h := 16 + len(values)*(barH+gap) + 16
	c := newCanvas(640, h, 16, 16, 24, 16)
	for i := 0; i <= 4; i++ {
		x := c.left + (c.right-c.left)*i/4
		c.line(x, c.top, x, c.bott, 1, 0, grid)
	}
	for i, v := range values {
		y := c.top + i*(barH+gap)
		w := int(math.Round(math.Max(0, math.Min(v, 1)) * float64(c.right-c.left)))
		col := orange
		if v >= threshold {
			col = green
		}
		c.rect(c.left, y, c.left+max(w, 2), y+barH, col)
	}
	c.line(c.left, c.top, c.left, c.bott, 2, 0, axis)
	return c.png()
}
