//! The timeline: how many secrets entered the history each month (UTC, by the date of the
//! commit that introduced them), stacked by severity, drawn as inline SVG. Each month
//! carries a tooltip (`<title>`), so the numbers read without JavaScript too.

use std::io;

use super::page::plural;
use super::{SEVERITIES, View};

/// Width per month: at least this, wider when there are few months.
const MIN_STEP: u64 = 18;
const MAX_STEP: u64 = 48;
/// Width of the plot area that few months spread over.
const SPREAD: u64 = 560;
/// Room one `YYYY-MM` label needs.
const LABEL: u64 = 54;
const LEFT: u64 = 44;
const RIGHT: u64 = 12;
const TOP: u64 = 12;
const PLOT: u64 = 160;
const BOTTOM: u64 = 34;
/// Months drawn at most. Commit dates are whatever the committer's clock (or a forger)
/// said: a commit dated 1970 or 2999 must not stretch the chart over centuries.
const MAX_MONTHS: i64 = 360;

pub fn write_timeline(view: &View<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    writeln!(
        out,
        "<section id=\"timeline\">\n<h2>Timeline: when secrets entered the history</h2>"
    )?;
    // (month index since year 0, counts by severity in SEVERITIES order)
    let mut dated: Vec<(i64, usize)> = view
        .rows
        .iter()
        .filter_map(|row| {
            let time = row.time?;
            let severity = SEVERITIES
                .iter()
                .position(|&severity| severity == row.finding.severity)?;
            Some((month_index(time), severity))
        })
        .collect();
    if dated.is_empty() {
        return writeln!(
            out,
            "<p class=\"muted\">No finding has a commit date.</p>\n</section>"
        );
    }
    dated.sort_unstable();
    let (first, last) = busiest_window(&dated, MAX_MONTHS);
    let months = (last - first + 1) as usize;
    let mut counts = vec![[0usize; SEVERITIES.len()]; months];
    let mut outside = 0;
    for &(month, severity) in &dated {
        if (first..=last).contains(&month) {
            counts[(month - first) as usize][severity] += 1;
        } else {
            outside += 1;
        }
    }
    let highest = counts
        .iter()
        .map(|month| month.iter().sum::<usize>())
        .max()
        .unwrap_or(1) as u64;
    let scale = nice_ceiling(highest);
    let step = (SPREAD / months as u64).clamp(MIN_STEP, MAX_STEP);
    let bar = step - (step / 4).max(4);
    let width = LEFT + months as u64 * step + RIGHT;
    let height = TOP + PLOT + BOTTOM;
    let undated = view.rows.len() - dated.len();
    let drawn = dated.len() - outside;
    writeln!(
        out,
        "<figure class=\"timeline\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"timeline-title\">\n<title id=\"timeline-title\">Secrets introduced per month, by severity: {} {} from {} to {}</title>",
        drawn,
        plural(drawn, "finding", "findings"),
        month_name(first),
        month_name(last)
    )?;
    let ticks: &[u64] = if scale.is_multiple_of(2) && scale > 1 {
        &[0, 1, 2]
    } else {
        &[0, 2]
    };
    for &tick in ticks {
        let value = scale * tick / 2;
        let y = TOP + PLOT - PLOT * value / scale;
        writeln!(
            out,
            "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\"/><text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{value}</text>",
            width - RIGHT,
            LEFT - 6,
            y + 4
        )?;
    }
    // Up to three years, months are labelled; beyond, each January is, with its year.
    let label_every = LABEL.div_ceil(step) as usize;
    for (offset, month) in counts.iter().enumerate() {
        let index = first + offset as i64;
        let x = LEFT + offset as u64 * step + (step - bar) / 2;
        let total: usize = month.iter().sum();
        if total > 0 {
            write!(
                out,
                "<g class=\"month\" data-facet=\"month\" data-value=\"{name}\"><title>{name}: {total} ({})</title>",
                SEVERITIES
                    .iter()
                    .zip(month)
                    .filter(|(_, count)| **count > 0)
                    .map(|(severity, count)| format!("{count} {severity}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                name = month_name(index),
            )?;
            let mut bottom = TOP + PLOT;
            for (severity, &count) in SEVERITIES.iter().zip(month) {
                if count == 0 {
                    continue;
                }
                let bar_height = (PLOT * count as u64 / scale).max(1);
                bottom -= bar_height;
                write!(
                    out,
                    "<rect class=\"bar sev-{severity}\" x=\"{x}\" y=\"{bottom}\" width=\"{bar}\" height=\"{bar_height}\"/>"
                )?;
            }
            writeln!(out, "</g>")?;
        }
        let label = if months <= 36 {
            offset
                .is_multiple_of(label_every)
                .then(|| month_name(index))
        } else {
            (index.rem_euclid(12) == 0).then(|| index.div_euclid(12).to_string())
        };
        if let Some(label) = label {
            writeln!(
                out,
                "<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{label}</text>",
                x + bar / 2,
                TOP + PLOT + 16,
            )?;
        }
    }
    writeln!(out, "</svg>")?;
    write!(out, "<figcaption class=\"legend\">")?;
    for severity in SEVERITIES {
        write!(
            out,
            "<span><span class=\"swatch sev-{severity}\"></span>{severity}</span> "
        )?;
    }
    write!(
        out,
        "<span class=\"muted\">Months in UTC, by the commit that introduced each secret."
    )?;
    if undated > 0 {
        write!(
            out,
            " {undated} {} without a commit date {} not drawn.",
            plural(undated, "finding", "findings"),
            plural(undated, "is", "are")
        )?;
    }
    if outside > 0 {
        write!(
            out,
            " {outside} {} dated outside these {months} months (an odd commit date?) {} not drawn.",
            plural(outside, "finding", "findings"),
            plural(outside, "is", "are")
        )?;
    }
    writeln!(out, "</span></figcaption>\n</figure>\n</section>")
}

/// The first and last month of the window of at most `width` months that holds the most of
/// `dated` (sorted by month), the latest such window on a tie.
fn busiest_window(dated: &[(i64, usize)], width: i64) -> (i64, i64) {
    let (first, last) = (dated[0].0, dated[dated.len() - 1].0);
    if last - first < width {
        return (first, last);
    }
    let mut best = (0, first);
    let mut start = 0;
    for end in 0..dated.len() {
        while dated[end].0 - dated[start].0 >= width {
            start += 1;
        }
        if end - start + 1 >= best.0 {
            best = (end - start + 1, dated[start].0);
        }
    }
    let window_start = best.1;
    let window_last = dated
        .iter()
        .map(|&(month, _)| month)
        .filter(|&month| month < window_start + width)
        .max()
        .unwrap_or(window_start);
    (window_start, window_last)
}

/// The smallest of 1, 2, 2.5, 5 times a power of ten that is at least `value` (at least 1).
fn nice_ceiling(value: u64) -> u64 {
    let value = value.max(1);
    let mut power = 1;
    loop {
        for step in [power, power * 2, power * 5 / 2, power * 5] {
            if step >= value && step > 0 {
                return step;
            }
        }
        power *= 10;
    }
}

fn month_index(seconds: i64) -> i64 {
    let (year, month, _) = civil_from_days(seconds.div_euclid(86_400));
    year * 12 + (month - 1)
}

/// `YYYY-MM` of a month index.
pub fn month_name(index: i64) -> String {
    format!(
        "{:04}-{:02}",
        index.div_euclid(12),
        index.rem_euclid(12) + 1
    )
}

/// `2024-01-02T03:04:05+01:00` (or `Z`, with optional fractions) -> seconds since 1970.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() < 20 || bytes[4] != b'-' || bytes[7] != b'-' || bytes[13] != b':' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        part.bytes()
            .all(|byte| byte.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        rest = fraction.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    let offset = match rest.as_bytes().first()? {
        b'Z' | b'z' => 0,
        sign @ (b'+' | b'-') => {
            let hours: i64 = rest.get(1..3)?.parse().ok()?;
            let minutes: i64 = rest.get(4..6)?.parse().ok()?;
            let magnitude = hours * 3600 + minutes * 60;
            if *sign == b'-' { -magnitude } else { magnitude }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_dates_with_offsets_are_read_as_utc() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_rfc3339("2023-11-14T23:13:20+01:00"),
            Some(1_700_000_000)
        );
        assert_eq!(
            parse_rfc3339("2024-02-29T12:00:00.250-05:30"),
            Some(1_709_208_000 + 19_800)
        );
        assert_eq!(parse_rfc3339("yesterday"), None);
    }

    fn month_of(seconds: i64) -> String {
        month_name(month_index(seconds))
    }

    #[test]
    fn months_are_counted_in_utc() {
        // Ten past midnight on 1 February in Berlin is still January in UTC.
        let time = parse_rfc3339("2024-02-01T00:10:00+01:00").unwrap();
        assert_eq!(month_of(time), "2024-01");
        assert_eq!(
            month_of(parse_rfc3339("1999-12-31T23:59:59Z").unwrap()),
            "1999-12"
        );
    }

    #[test]
    fn civil_dates_round_trip() {
        for days in [-1_000_000, -1, 0, 59, 11_016, 19_782, 2_932_896] {
            let (year, month, day) = civil_from_days(days);
            assert_eq!(days_from_civil(year, month, day), days);
        }
    }

    #[test]
    fn a_forged_commit_date_does_not_stretch_the_timeline() {
        let year = |year: i64| year * 12;
        let mut dated: Vec<(i64, usize)> = (0..10).map(|month| (year(2024) + month, 1)).collect();
        dated.insert(0, (year(1970), 0));
        dated.push((year(2999), 0));
        assert_eq!(busiest_window(&dated, 360), (year(2024), year(2024) + 9));
        assert_eq!(
            busiest_window(&dated[1..11], 360),
            (year(2024), year(2024) + 9)
        );
        assert_eq!(busiest_window(&[(5, 0)], 360), (5, 5));
    }

    #[test]
    fn the_scale_ends_at_a_round_number() {
        assert_eq!(nice_ceiling(0), 1);
        assert_eq!(nice_ceiling(3), 5);
        assert_eq!(nice_ceiling(7), 10);
        assert_eq!(nice_ceiling(21), 25);
        assert_eq!(nice_ceiling(180), 200);
    }
}
