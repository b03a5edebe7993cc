//! Simple bar charts drawn on the server as accessible SVG (no script, no CDN). Each chart has
//! a title and a description for screen readers; pages show the same figures in a table too.

/// Escapes text for SVG/XML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

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
        esc(title),
        esc(&summary.join("; "))
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
            esc(&short),
            bar.max(1),
            ROW - 8,
            LABEL + bar + 6,
            y + 17,
            esc(&show(*value))
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

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
