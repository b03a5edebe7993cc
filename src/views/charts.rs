//! Simple bar charts drawn on the server as accessible SVG (no script, no CDN). Each chart has
//! a title and a description for screen readers; pages show the same figures in a table too.

use super::escape_xml;

/// A horizontal bar chart of `(label, value)` with each value written by `show`.
pub fn bar_chart(
    id: &str,
    title: &str,
    bars: &[(String, i64)],
    show: impl Fn(i64) -> String,
) -> String {
    const WIDTH: i64 = 640;
    const LABEL: i64 = 200;
    const ROW: i64 = 28;
    let max = bars.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let height = ROW * bars.len().max(1) as i64 + 8;
    let summary: Vec<String> = bars
        .iter()
        .map(|(label, v)| format!("{}: {}", label, show(*v)))
        .collect();
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" \
         aria-labelledby=\"{id}-t {id}-d\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        escape_xml(title),
        escape_xml(&summary.join("; "))
    );
    for (i, (label, value)) in bars.iter().enumerate() {
        let y = i as i64 * ROW + 4;
        let bar = (WIDTH - LABEL - 120) * value.max(&0) / max;
        let short: String = label.chars().take(28).collect();
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"chart-label\">{}</text>\
             <rect x=\"{LABEL}\" y=\"{y}\" width=\"{}\" height=\"{}\" class=\"chart-bar\"></rect>\
             <text x=\"{}\" y=\"{}\" class=\"chart-value\">{}</text>",
            LABEL - 8,
            y + 17,
            escape_xml(&short),
            bar.max(1),
            ROW - 8,
            LABEL + bar + 6,
            y + 17,
            escape_xml(&show(*value))
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// One square of a tile map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tile {
    /// Its place on the grid, from the top left.
    pub col: u8,
    pub row: u8,
    /// The short code written on the square ("JB").
    pub code: String,
    /// What the square stands for, as its tooltip (`<title>`).
    pub label: String,
    /// Its colour step (`map-step-N`; 0 is "nothing").
    pub step: u8,
}

/// A tile map: one square per tile on a grid of `grid` (columns, rows), coloured by its step,
/// its code written on it (light on the steps from `light_text_from` up) and its label as a
/// tooltip. The map is one image to a screen reader, named by `title` and described by
/// `description`; the page gives the same figures in a table.
pub fn tile_map(
    id: &str,
    title: &str,
    description: &str,
    grid: (u8, u8),
    tiles: &[Tile],
    light_text_from: u8,
) -> String {
    const SIZE: i64 = 44;
    const GAP: i64 = 4;
    let pitch = SIZE + GAP;
    let width = i64::from(grid.0) * pitch - GAP;
    let height = i64::from(grid.1) * pitch - GAP;
    let mut svg = format!(
        "<svg class=\"tile-map\" viewBox=\"0 0 {width} {height}\" role=\"img\" \
         aria-labelledby=\"{id}-t {id}-d\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        escape_xml(title),
        escape_xml(description)
    );
    for tile in tiles {
        let (x, y) = (i64::from(tile.col) * pitch, i64::from(tile.row) * pitch);
        let text = if tile.step >= light_text_from {
            "tile-code tile-code-light"
        } else {
            "tile-code"
        };
        svg.push_str(&format!(
            "<g class=\"tile\"><title>{}</title>\
             <rect x=\"{x}\" y=\"{y}\" width=\"{SIZE}\" height=\"{SIZE}\" rx=\"6\" \
             class=\"map-step-{}\"></rect>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"{text}\">{}</text></g>",
            escape_xml(&tile.label),
            tile.step,
            x + SIZE / 2,
            y + SIZE / 2 + 5,
            escape_xml(&tile.code)
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tile_map_places_each_square_on_its_grid_with_its_step_and_tooltip() {
        let tiles = [
            Tile {
                col: 0,
                row: 0,
                code: "AC".into(),
                label: "Aceh: 3 <terjual>".into(),
                step: 1,
            },
            Tile {
                col: 2,
                row: 1,
                code: "JB".into(),
                label: "Jawa Barat".into(),
                step: 4,
            },
        ];
        let svg = tile_map("m", "Peta", "Dua provinsi", (3, 2), &tiles, 3);
        assert!(svg.contains("viewBox=\"0 0 140 92\""), "{svg}");
        assert!(svg.contains("role=\"img\" aria-labelledby=\"m-t m-d\""));
        assert!(svg.contains("<title>Aceh: 3 &lt;terjual&gt;</title>"));
        assert!(svg.contains("<rect x=\"96\" y=\"48\""));
        assert!(svg.contains("class=\"map-step-1\""));
        assert!(svg.contains("class=\"tile-code tile-code-light\">JB</text>"));
        assert!(svg.contains("class=\"tile-code\">AC</text>"));
    }

    #[test]
    fn a_bar_chart_scales_to_the_largest_value_and_escapes_labels() {
        let svg = bar_chart(
            "c",
            "Penjualan",
            &[("Kopi <Arabika>".into(), 100), ("Batik".into(), 50)],
            |v| format!("Rp {v}"),
        );
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("Kopi &lt;Arabika&gt;"));
        assert!(svg.contains("width=\"320\""), "{svg}");
        assert!(svg.contains("width=\"160\""));
        assert!(svg.contains("<desc id=\"c-d\">Kopi &lt;Arabika&gt;: Rp 100; Batik: Rp 50</desc>"));
    }
}
