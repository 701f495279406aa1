package report

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"
)

// TestChartPixels decodes drawn charts and reads the pixels where each mark must be:
// the charts carry no text, so their meaning is in where the colours fall.
func TestChartPixels(t *testing.T) {
	pts := []point{{2020, 41.2, true}, {2021, 45, true}, {2022, 0, false}, {2023, 52.5, true}, {2024, 55, true}, {2025, 60.1, true}}
	s := niceScale(41.2, 60.1, 60)
	img := decode(t, trendChart(pts, 41.2, 60, true, true, s))
	// The plot area of a trend chart: x from 40 to 616, y from 16 to 212; the years
	// sit 20 pixels inside its edges.
	xOf := func(i int) int { return 60 + 536*i/5 }
	yOf := func(v float64) int { return 212 - int((v-s.lo)/(s.hi-s.lo)*196+0.5) }
	cases := []struct {
		what string
		x, y int
		want uint8
	}{
		{"background", 5, 5, white},
		{"value axis", 40, 100, axis},
		{"year axis", 300, 212, axis},
		{"a year tick", xOf(4), 216, axis},
		{"the baseline, over the first value", xOf(0), yOf(41.2), grey},
		{"the 2023 value", xOf(3), yOf(52.5), blue},
		{"the 2025 value", xOf(5), yOf(60.1), blue},
		{"the target line", 44, yOf(60), red},
		{"a gap of the dashed target line", 52, yOf(60), white},
		{"the grid's middle line", 600, 16 + 196/2, grid},
	}
	for _, c := range cases {
		if got := img.At(c.x, c.y); !sameColour(got, palette[c.want]) {
			t.Errorf("trend chart, %s at (%d, %d): %v, want %v", c.what, c.x, c.y, got, palette[c.want])
		}
	}
	// A trend with one value and no target draws its dot and no red.
	one := decode(t, trendChart(pts[:1], 41.2, 0, true, false, niceScale(41.2)))
	if n := count(one, palette[red]); n != 0 {
		t.Errorf("a chart with no target has %d red pixels", n)
	}

	// Bars at or above the threshold are green, the others orange; the widths are
	// the values' shares of the plot area (16 to 616); a negative one draws nothing past
	// the axis.
	bars := decode(t, barChart([]float64{0.5, 0.9, -0.2}, 0.85))
	if b := bars.Bounds(); b.Dx() != 640 || b.Dy() != 16+3*26+16 {
		t.Fatalf("bar chart of 3 bars is %v", b)
	}
	for _, c := range []struct {
		x, y int
		want uint8
	}{
		{16 + 295, 16 + 9, orange}, {16 + 305, 16 + 9, white},
		{16 + 535, 42 + 9, green}, {16 + 545, 42 + 9, white},
		{19, 68 + 9, white},
	} {
		if got := bars.At(c.x, c.y); !sameColour(got, palette[c.want]) {
			t.Errorf("bar chart at (%d, %d): %v, want %v", c.x, c.y, got, palette[c.want])
		}
	}
}

func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func sameColour(a, b color.Color) bool {
	r1, g1, b1, a1 := a.RGBA()
	r2, g2, b2, a2 := b.RGBA()
	return r1 == r2 && g1 == g2 && b1 == b2 && a1 == a2
}

func count(img image.Image, c color.Color) int {
	n := 0
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			if sameColour(img.At(x, y), c) {
				n++
			}
		}
	}
	return n
}
