//! From bytes to text: UTF-8 without a copy, UTF-16 by its byte-order mark, and any other
//! encoding detected (chardetng) or named (`--encoding`) and decoded (encoding_rs), with
//! line endings and stray NUL bytes made plain on the way.

use encoding_rs::Encoding;

use super::{LoadError, Warning};

/// How many bytes around the first one that is not UTF-8 the detector looks at: enough
/// text to tell Windows-1252 from its neighbours, little enough to take no time.
const DETECT_BYTES: usize = 4 << 20;

/// Fewer bytes outside ASCII than this are too few to tell an encoding by.
const FEW_BYTES: usize = 64;

/// Decodes bytes to text without copying valid UTF-8. Invalid UTF-8 is decoded lossily with
/// one warning; UTF-16 (with a byte-order mark) is decoded; a NUL byte in the first 64 KiB
/// means binary data, and one further on is text gone wrong (see [`decode_utf8`]).
pub(crate) fn decode(bytes: Vec<u8>) -> Result<(String, Vec<Warning>), LoadError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(LoadError::Empty);
    }
    if let Some(text) = decode_utf16(&bytes) {
        return Ok((text, Vec::new()));
    }
    let window = &bytes[..bytes.len().min(crate::tuning::SNIFF_BYTES)];
    if let Some(offset) = memchr::memchr(0, window) {
        return Err(LoadError::Binary { offset });
    }
    let mut text = decode_utf8(bytes);
    if text.0.starts_with('\u{feff}') {
        // Moved back in place: a copy would hold the text twice for a moment.
        text.0.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// UTF-8 without copying when valid; otherwise decoded lossily with one warning that gives
/// the line (within `bytes`) of the first bad byte.
///
/// A NUL byte (past the first 64 KiB, where it would have meant binary data) becomes the
/// placeholder `␀` that the sanitizer shows for it, with one warning: raw, it would make
/// JSON strings invalid and vanish from text without a word.
pub(crate) fn decode_utf8(bytes: Vec<u8>) -> (String, Vec<Warning>) {
    let (bytes, nul_warning) = plain_line_ends_and_nuls(bytes);
    let (text, mut warnings) = decode_utf8_only(bytes);
    warnings.extend(nul_warning);
    (text, warnings)
}

/// `bytes` with lone CRs made line feeds and NULs placeholders, and the warning for the
/// NULs. Whether there is anything to do (usually not) is two single-byte searches, which
/// measured fewer instructions than one two-byte search over the same text.
fn plain_line_ends_and_nuls(mut bytes: Vec<u8>) -> (Vec<u8>, Option<Warning>) {
    if memchr::memchr(b'\r', &bytes).is_some() || memchr::memchr(0, &bytes).is_some() {
        lone_cr_to_lf(&mut bytes);
        placeholders_for_nul(bytes)
    } else {
        (bytes, None)
    }
}

/// Makes each carriage return not followed by a line feed one: a file with old Mac line
/// endings (CR only) reads as lines, like one with CR LF. In place: same length, still UTF-8.
pub(crate) fn lone_cr_to_lf(bytes: &mut [u8]) {
    let lone: Vec<usize> = memchr::memchr_iter(b'\r', bytes)
        .filter(|&i| bytes.get(i + 1) != Some(&b'\n'))
        .collect();
    for i in lone {
        bytes[i] = b'\n';
    }
}

/// Whether [`lone_cr_to_lf`] would change `bytes`.
pub(crate) fn has_lone_cr(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'))
}

/// The placeholder a NUL byte becomes, as the sanitizer shows it.
const NUL_PLACEHOLDER: &str = "\u{2400}";

/// `bytes` with each NUL replaced by [`NUL_PLACEHOLDER`], and the warning that says so.
pub(crate) fn placeholders_for_nul(bytes: Vec<u8>) -> (Vec<u8>, Option<Warning>) {
    let Some(first) = memchr::memchr(0, &bytes) else {
        return (bytes, None);
    };
    let count = memchr::memchr_iter(0, &bytes).count();
    let mut out = Vec::with_capacity(bytes.len() + 2 * count);
    for (i, part) in bytes.split(|&b| b == 0).enumerate() {
        if i > 0 {
            out.extend_from_slice(NUL_PLACEHOLDER.as_bytes());
        }
        out.extend_from_slice(part);
    }
    let line = memchr::memchr_iter(b'\n', &bytes[..first]).count() + 1;
    let warning = Warning {
        line: Some(line),
        message: format!(
            "{count} NUL byte{} shown as {NUL_PLACEHOLDER} (text gone wrong, or binary data in the file)",
            if count == 1 { "" } else { "s" }
        ),
    };
    (out, Some(warning))
}

/// [`decode_utf8`] for a later piece of a document read in pieces, whose first piece was
/// UTF-8: a piece that is not, but reads as another encoding (a Windows-1252 file whose first
/// accented letter comes late), is decoded in that one, with a warning saying so from the
/// line of its first byte that is not UTF-8; `detect` off (`--encoding UTF-8`), it is
/// decoded lossily like any other.
pub(crate) fn decode_piece(bytes: Vec<u8>, detect: bool) -> (String, Vec<Warning>) {
    if !detect {
        return decode_utf8(bytes);
    }
    let (bytes, nul_warning) = plain_line_ends_and_nuls(bytes);
    let (text, mut warnings) = match String::from_utf8(bytes) {
        Ok(text) => (text, Vec::new()),
        Err(err) => {
            let bad = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            match detected(&bytes, bad) {
                Some(encoding) => {
                    let (text, more) = in_encoding(&bytes, encoding);
                    let said = Warning {
                        line: Some(memchr::memchr_iter(b'\n', &bytes[..bad]).count() + 1),
                        message: format!(
                            "not UTF-8 from here on: read as {}, detected (--encoding NAME \
                             reads the whole file in the encoding named)",
                            encoding.name()
                        ),
                    };
                    (text, std::iter::once(said).chain(more).collect())
                }
                None => decode_utf8_only(bytes),
            }
        }
    };
    warnings.extend(nul_warning);
    (text, warnings)
}

fn decode_utf8_only(bytes: Vec<u8>) -> (String, Vec<Warning>) {
    match String::from_utf8(bytes) {
        Ok(text) => (text, Vec::new()),
        Err(err) => {
            let bytes = err.into_bytes();
            let bad = std::str::from_utf8(&bytes)
                .err()
                .map_or(0, |e| e.valid_up_to());
            let line = memchr::memchr_iter(b'\n', &bytes[..bad]).count() + 1;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let warning = Warning {
                line: Some(line),
                message: "invalid UTF-8; bad bytes shown as \u{fffd}".into(),
            };
            (text, vec![warning])
        }
    }
}

/// UTF-16 text marked by its byte-order mark.
fn decode_utf16(bytes: &[u8]) -> Option<String> {
    let little = match bytes {
        [0xff, 0xfe, ..] => true,
        [0xfe, 0xff, ..] => false,
        _ => return None,
    };
    let units = bytes[2..].chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if little {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or('\u{fffd}'))
            .collect(),
    )
}

/// [`decode`], decoding text that is not UTF-8 in `forced`, or else in the encoding its
/// bytes look like; gives the encoding used where it was not UTF-8, as `--explain` says it.
///
/// # Errors
/// As [`decode`].
pub(crate) fn decode_with(
    bytes: Vec<u8>,
    forced: Option<&'static Encoding>,
) -> Result<(String, Vec<Warning>, Option<String>), LoadError> {
    match forced {
        Some(encoding) if encoding != encoding_rs::UTF_8 => {
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Err(LoadError::Empty);
            }
            let (text, mut warnings) = in_encoding(&bytes, encoding);
            let said = format!("{} (as --encoding said)", encoding.name());
            let (text, more) = decode_utf8(text.into_bytes());
            warnings.extend(more);
            Ok((text, warnings, Some(said)))
        }
        _ => {
            let detect = forced.is_none();
            decode_detecting(bytes, detect)
        }
    }
}

/// [`decode`], detecting the encoding of text that is not UTF-8 when `detect` is set.
fn decode_detecting(
    bytes: Vec<u8>,
    detect: bool,
) -> Result<(String, Vec<Warning>, Option<String>), LoadError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(LoadError::Empty);
    }
    if let Some(text) = decode_utf16(&bytes) {
        return Ok((text, Vec::new(), None));
    }
    let window = &bytes[..bytes.len().min(crate::tuning::SNIFF_BYTES)];
    if let Some(offset) = memchr::memchr(0, window) {
        return Err(LoadError::Binary { offset });
    }
    let (bytes, nul_warning) = plain_line_ends_and_nuls(bytes);
    let (text, mut warnings, encoding) = match String::from_utf8(bytes) {
        Ok(text) => (text, Vec::new(), None),
        Err(err) if detect => {
            let bad = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            if let Some(encoding) = detected(&bytes, bad) {
                let (text, warnings) = in_encoding(&bytes, encoding);
                let said = format!(
                    "{}, detected (the text is not UTF-8; --encoding NAME to choose another)",
                    encoding.name()
                );
                (text, warnings, Some(said))
            } else {
                let (text, warnings) = decode_utf8_only(bytes);
                (text, warnings, None)
            }
        }
        Err(err) => {
            let (text, warnings) = decode_utf8_only(err.into_bytes());
            (text, warnings, None)
        }
    };
    warnings.extend(nul_warning);
    let mut text = text;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok((text, warnings, encoding))
}

/// The legacy encoding `bytes` look like, from the text around the first byte that is not
/// UTF-8 (at `bad`); `None` when they look like UTF-8 with a few bad bytes.
fn detected(bytes: &[u8], bad: usize) -> Option<&'static Encoding> {
    let from = bad.saturating_sub(DETECT_BYTES / 4);
    let to = bytes.len().min(from + DETECT_BYTES);
    // UTF-8 with a few bad bytes (a file cut and joined, one corrupt sector) holds more
    // characters that are good UTF-8 than bytes that are not: decoding it in another
    // encoding would garble every one of them.
    let (mut good, mut bad_runs) = (0usize, 0usize);
    for chunk in bytes[from..to].utf8_chunks() {
        good += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        bad_runs += usize::from(!chunk.invalid().is_empty());
    }
    if good > bad_runs {
        return None;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(&bytes[from..to], to == bytes.len());
    let encoding = detector.guess(None, chardetng::Utf8Detection::Allow);
    if encoding == encoding_rs::UTF_8 {
        return None;
    }
    // A few stray bytes in English text are too little for the detector to tell one
    // encoding from another by; the review data of Excel and Kaggle is Windows-1252 far
    // more often than any other.
    let non_ascii = bytes[from..to].iter().filter(|b| !b.is_ascii()).count();
    if non_ascii < FEW_BYTES {
        return Some(encoding_rs::WINDOWS_1252);
    }
    Some(encoding)
}

/// `bytes` decoded in `encoding`, with a warning giving the line of the first byte that
/// is not valid in it.
fn in_encoding(bytes: &[u8], encoding: &'static Encoding) -> (String, Vec<Warning>) {
    let (text, _, had_errors) = encoding.decode(bytes);
    let mut warnings = Vec::new();
    if had_errors {
        warnings.push(Warning {
            line: None,
            message: format!("bytes that are not {} shown as \u{fffd}", encoding.name()),
        });
    }
    (text.into_owned(), warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_is_detected_and_said() {
        let bytes = b"title,body\nCaf\xe9,\x93Great\x94 \x96 really, na\xefve\n".to_vec();
        let (text, warnings, encoding) = decode_with(bytes, None).expect("decodes");
        assert_eq!(
            text,
            "title,body\nCaf\u{e9},\u{201c}Great\u{201d} \u{2013} really, na\u{ef}ve\n"
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(
            encoding
                .expect("said")
                .starts_with("windows-1252, detected")
        );
    }

    #[test]
    fn utf8_with_a_few_bad_bytes_stays_utf8() {
        let bytes = b"caf\xc3\xa9 cr\xc3\xa8me br\xc3\xbbl\xc3\xa9e \xff done".to_vec();
        let (text, warnings, encoding) = decode_with(bytes, None).expect("decodes");
        assert_eq!(text, "café crème brûlée \u{fffd} done");
        assert_eq!(warnings.len(), 1);
        assert_eq!(encoding, None);
    }

    #[test]
    fn a_named_encoding_is_used_and_utf8_is_left_alone() {
        let (text, _, encoding) =
            decode_with(b"na\xefve".to_vec(), Encoding::for_label(b"latin1")).expect("decodes");
        assert_eq!(text, "na\u{ef}ve");
        assert_eq!(
            encoding.as_deref(),
            Some("windows-1252 (as --encoding said)")
        );
        let (text, warnings, encoding) = decode_with("déjà vu".into(), None).expect("UTF-8");
        assert_eq!(
            (text.as_str(), warnings.len(), encoding),
            ("déjà vu", 0, None)
        );
        // Shift_JIS, named.
        let (text, _, _) = decode_with(
            b"\x93\xfa\x96\x7b".to_vec(),
            Encoding::for_label(b"shift_jis"),
        )
        .expect("decodes");
        assert_eq!(text, "日本");
    }
}
