//! "Did you mean …?" for names the user misspelt: entry fields in documents, option
//! keys and command names at the API and CLI.

/// The closest of `known` to `name`, when it is close enough to be a likely typo.
///
/// Case and `_` for `-` are forgiven (`Image`, `manifest_list_digest`), as people write
/// them from other tools' spellings.
pub fn did_you_mean<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    let lowered = name.to_ascii_lowercase().replace('_', "-");
    known
        .iter()
        .map(|k| {
            let distance = strsim::damerau_levenshtein(&lowered, &k.to_ascii_lowercase());
            (distance, *k)
        })
        .filter(|(distance, k)| *distance <= 2.max(k.len() / 4))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::ENTRY_FIELDS;

    #[test]
    fn suggests_close_field_names_only() {
        assert_eq!(did_you_mean("digets", &ENTRY_FIELDS), Some("digest"));
        assert_eq!(did_you_mean("tag", &ENTRY_FIELDS), Some("tags"));
        assert_eq!(
            did_you_mean("manifest_list_digest", &ENTRY_FIELDS),
            Some("manifest-list-digest")
        );
        assert_eq!(did_you_mean("Image", &ENTRY_FIELDS), Some("image"));
        assert_eq!(did_you_mean("architecture", &ENTRY_FIELDS), None);
    }

    #[test]
    fn suggests_camel_case_option_names() {
        let options = ["profile", "schema", "buildId"];
        assert_eq!(did_you_mean("buildid", &options), Some("buildId"));
        assert_eq!(did_you_mean("profil", &options), Some("profile"));
        assert_eq!(did_you_mean("colour", &options), None);
    }
}
