//! What a build id says about when the build was made, and the one stretch of time where
//! that matters to an entry: cosa's manifest-list window.
//!
//! Build ids carry their date: Fedora CoreOS `36.20220918.3.0` (the second component is
//! `YYYYMMDD`), RHCOS `412.86.202209180000-0` (a component starting with
//! `YYYYMMDDHHMM`), older RHCOS `410.8.20190425.0`. Nothing else in a meta.json dates the
//! push step reliably in every document we have seen, so this is what the entry checks use.

use std::fmt;

/// A calendar date read from a build id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BuildDate {
    /// The year, e.g. 2022.
    pub year: u16,
    /// The month, 1-12.
    pub month: u8,
    /// The day of the month, 1-31 (checked against the month).
    pub day: u8,
}

impl BuildDate {
    /// A date, checked: `None` for a month or day that does not exist.
    pub const fn new(year: u16, month: u8, day: u8) -> Option<BuildDate> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        if day == 0 || day > days {
            return None;
        }
        Some(BuildDate { year, month, day })
    }
}

impl fmt::Display for BuildDate {
    /// ISO 8601, `2022-09-18`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The first day on which cosa's `push-container-manifest` wrote the manifest list's digest
/// into `image` (the embedded shape), instead of the architecture's.
pub const MANIFEST_LIST_WINDOW_START: BuildDate = BuildDate {
    year: 2022,
    month: 9,
    day: 13,
};

/// The last day of that window: the per-architecture digest (and `tags`) came on
/// 2022-10-21 (cosa PRs 3129 and 3132), so a build of that day may have either.
pub const MANIFEST_LIST_WINDOW_END: BuildDate = BuildDate {
    year: 2022,
    month: 10,
    day: 21,
};

/// The date a build id carries: the first `.`-separated component that starts with eight
/// digits forming a real date of the years 2000-2099 (`36.20220918.3.0` → 2022-09-18,
/// `412.86.202209180000-0` → 2022-09-18). `None` when there is no such component
/// (`1`, `40.1`, a git hash).
pub fn build_date(build_id: &str) -> Option<BuildDate> {
    build_id.split('.').find_map(|component| {
        let digits = component.as_bytes().get(..8)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let number = |range: std::ops::Range<usize>| {
            digits.get(range)?.iter().try_fold(0u16, |n, d| {
                n.checked_mul(10)?.checked_add(u16::from(d - b'0'))
            })
        };
        let year = number(0..4)?;
        if !(2000..=2099).contains(&year) {
            return None;
        }
        let month = u8::try_from(number(4..6)?).ok()?;
        let day = u8::try_from(number(6..8)?).ok()?;
        BuildDate::new(year, month, day)
    })
}

/// The build's date when it falls inside the manifest-list window (both ends included).
pub fn in_manifest_list_window(build_id: &str) -> Option<BuildDate> {
    build_date(build_id)
        .filter(|date| (MANIFEST_LIST_WINDOW_START..=MANIFEST_LIST_WINDOW_END).contains(date))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: u16, month: u8, day: u8) -> Option<BuildDate> {
        BuildDate::new(year, month, day)
    }

    #[test]
    fn fedora_coreos_ids() {
        assert_eq!(build_date("36.20220918.3.0"), date(2022, 9, 18));
        assert_eq!(build_date("36.20221014.3.0"), date(2022, 10, 14));
        assert_eq!(build_date("31.20200310.20.0"), date(2020, 3, 10));
        assert_eq!(build_date("30.20191014.0"), date(2019, 10, 14));
    }

    #[test]
    fn rhcos_ids() {
        assert_eq!(build_date("412.86.202209180000-0"), date(2022, 9, 18));
        assert_eq!(build_date("413.86.202212021619-0"), date(2022, 12, 2));
        assert_eq!(build_date("47.83.202107261211-0"), date(2021, 7, 26));
        assert_eq!(build_date("44devel.81.202001151926.0"), date(2020, 1, 15));
        assert_eq!(build_date("410.8.20190425.0"), date(2019, 4, 25));
    }

    #[test]
    fn ids_without_a_date() {
        for id in [
            "",
            "1",
            "36.1",
            "40.1",
            "x",
            "2022091",         // seven digits
            "36.2022-09-18.0", // not digits
            "36.20221318.0",   // month 13
            "36.20220931.0",   // 31 September
            "36.20230229.0",   // not a leap year
            "36.19990918.0",   // before the 2000s
            "412.86.é0220918", // non-ASCII, no panic
            "9a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3",
        ] {
            assert_eq!(build_date(id), None, "{id:?}");
        }
        assert_eq!(build_date("36.20240229.0"), date(2024, 2, 29));
    }

    #[test]
    fn window_edges_are_inclusive() {
        assert_eq!(in_manifest_list_window("36.20220912.3.0"), None);
        assert_eq!(
            in_manifest_list_window("36.20220913.3.0"),
            date(2022, 9, 13)
        );
        assert_eq!(
            in_manifest_list_window("36.20221021.3.0"),
            date(2022, 10, 21)
        );
        assert_eq!(in_manifest_list_window("36.20221022.3.0"), None);
        assert_eq!(
            in_manifest_list_window("412.86.202210211512-0"),
            date(2022, 10, 21)
        );
        assert_eq!(in_manifest_list_window("412.86.202210220000-0"), None);
        assert_eq!(in_manifest_list_window("1"), None);
        assert_eq!(MANIFEST_LIST_WINDOW_START.to_string(), "2022-09-13");
        assert_eq!(MANIFEST_LIST_WINDOW_END.to_string(), "2022-10-21");
    }
}
