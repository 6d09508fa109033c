//! The export prompt (`e`): the view as it is, written to a file the user names, in the
//! format its extension says, through the same writers and the same all-or-nothing write as
//! `--format` and `--output`. The prompt offers a name and completes paths with Tab.

use std::path::{Path, PathBuf};

use super::{App, Mode, Outgoing};
use crate::export::OutputFormat;
use crate::keymap::Action;

/// The format a file name's extension asks for.
#[must_use]
pub fn format_for(path: &Path) -> Option<OutputFormat> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "json" => Some(OutputFormat::Json),
        "jsonl" | "ndjson" => Some(OutputFormat::Jsonl),
        "csv" => Some(OutputFormat::Csv),
        "md" | "markdown" => Some(OutputFormat::Markdown),
        _ => None,
    }
}

/// `~/` at the start of a typed path is the home folder, as in a shell.
fn expand_home(typed: &str) -> PathBuf {
    match (typed.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => PathBuf::from(typed),
    }
}

/// The completions of `typed` among the names in its folder: the longest common extension
/// of the names that start with what is typed of the last part, and those names (folders
/// end in `/`).
#[must_use]
pub fn complete(typed: &str) -> (String, Vec<String>) {
    let (folder, start) = match typed.rfind('/') {
        Some(i) => (&typed[..=i], &typed[i + 1..]),
        None => ("", typed),
    };
    let dir = if folder.is_empty() {
        PathBuf::from(".")
    } else {
        expand_home(folder)
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return (typed.to_string(), Vec::new());
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let hidden = name.starts_with('.') && !start.starts_with('.');
            (name.starts_with(start) && !hidden).then(|| {
                if e.path().is_dir() {
                    format!("{name}/")
                } else {
                    name
                }
            })
        })
        .collect();
    names.sort();
    let Some(first) = names.first() else {
        return (typed.to_string(), names);
    };
    let mut common = first.len();
    for name in &names[1..] {
        common = first
            .char_indices()
            .zip(name.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(common);
    }
    (format!("{folder}{}", &first[..common]), names)
}

/// A file name from a film's name: letters and digits, words joined by `-`.
fn slug(name: &str) -> String {
    let mut slug = String::new();
    for word in name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.extend(word.chars().flat_map(char::to_lowercase));
    }
    slug
}

impl App {
    /// Opens the export prompt with a name for the file that names no existing one.
    pub(super) fn start_export(&mut self) {
        if self.view.is_empty() {
            self.message = Some("no reviews shown to export".into());
            return;
        }
        let base = match self.doc.sources.as_slice() {
            [one] => slug(one.title.as_deref().unwrap_or(&one.label)),
            _ => String::new(),
        };
        let base = if base.is_empty() {
            "reviews".to_string()
        } else {
            format!("{base}-reviews")
        };
        // A long title must not make a name the file system refuses.
        let base: String = base.chars().take(80).collect();
        let mut name = format!("{base}.csv");
        let mut n = 2;
        // Not a name anything has, a link included: a dangling link "does not exist", and
        // one Enter would write wherever it points (someone else's link, planted here).
        while std::fs::symlink_metadata(&name).is_ok() {
            name = format!("{base}-{n}.csv");
            n += 1;
        }
        self.export_input = name;
        self.mode = Mode::Export;
    }

    /// Handles a key of the export prompt; `false` for an action it leaves to the rest.
    pub(super) fn export_key(&mut self, action: Action) -> bool {
        match action {
            Action::SearchInput(c) => {
                if self.export_input.len() < 4096 && !c.is_control() {
                    self.export_input.push(c);
                }
                self.export_confirm = None;
            }
            Action::SearchBackspace => {
                self.export_input.pop();
            }
            Action::SearchClear => self.export_input.clear(),
            Action::SearchCancel => {
                self.mode = Mode::Browse;
                self.message = Some("export cancelled".into());
            }
            Action::PromptComplete => {
                let (completed, names) = complete(&self.export_input);
                self.export_input = completed;
                self.message = match names.len() {
                    0 => Some("no file or folder starts so".into()),
                    1 => None,
                    n => Some(format!(
                        "{n} names: {}",
                        names.iter().take(6).cloned().collect::<Vec<_>>().join("  ")
                    )),
                };
            }
            Action::SearchAccept => {
                let path = expand_home(self.export_input.trim());
                let existing = std::fs::metadata(&path).ok();
                let link = std::fs::read_link(&path).ok();
                match format_for(&path) {
                    Some(_) if crate::export::file::is_input(&path, &self.inputs) => {
                        self.message = Some(format!(
                            "{}: is one of the input documents; revue never writes to its input",
                            path.display()
                        ));
                    }
                    // A device or a FIFO would take the screen's bytes or block the app.
                    Some(_) if existing.as_ref().is_some_and(|m| !m.is_file()) => {
                        self.message = Some("that is not a regular file; name a file".into());
                    }
                    // Writing through a link takes a second Enter, once it is said where to.
                    Some(_)
                        if let Some(to) = &link
                            && self.export_confirm.as_ref() != Some(&path) =>
                    {
                        self.message = Some(format!(
                            "a link: Enter again writes to {} ({})",
                            to.display(),
                            if existing.is_some() {
                                "replacing it"
                            } else {
                                "not there yet"
                            }
                        ));
                        self.export_confirm = Some(path);
                    }
                    // Replacing a file takes a second Enter.
                    Some(_)
                        if existing.is_some() && self.export_confirm.as_ref() != Some(&path) =>
                    {
                        self.message = Some("that file exists: Enter again replaces it".into());
                        self.export_confirm = Some(path);
                    }
                    Some(format) => {
                        self.mode = Mode::Browse;
                        self.export_confirm = None;
                        self.outgoing = Some(Outgoing::Export { path, format });
                    }
                    None => {
                        self.message = Some(
                            "end the name in .csv, .json, .jsonl or .md for its format".into(),
                        );
                    }
                }
            }
            _ => return false,
        }
        true
    }

    /// What is typed in the export prompt.
    #[must_use]
    pub fn export_input(&self) -> &str {
        &self.export_input
    }

    /// How many reviews of the view are hidden spoilers, which an export writes whole.
    #[must_use]
    pub fn hidden_in_view(&self) -> usize {
        self.view.iter().filter(|&&i| self.is_hidden(i)).count()
    }

    /// The documents being read, which an export never overwrites.
    #[must_use]
    pub fn inputs(&self) -> &[PathBuf] {
        &self.inputs
    }

    /// Names the documents being read, as given on the command line.
    #[must_use]
    pub fn with_inputs(mut self, inputs: Vec<PathBuf>) -> Self {
        self.inputs = inputs;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_gives_the_format() {
        assert_eq!(format_for(Path::new("a.CSV")), Some(OutputFormat::Csv));
        assert_eq!(
            format_for(Path::new("x/b.jsonl")),
            Some(OutputFormat::Jsonl)
        );
        assert_eq!(format_for(Path::new("c.md")), Some(OutputFormat::Markdown));
        assert_eq!(format_for(Path::new("d.json")), Some(OutputFormat::Json));
        assert_eq!(format_for(Path::new("e.txt")), None);
        assert_eq!(format_for(Path::new("noext")), None);
        assert_eq!(slug("Pusher II (2004)"), "pusher-ii-2004");
    }

    #[test]
    fn tab_completes_names_in_the_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().to_str().expect("utf-8");
        std::fs::create_dir(dir.path().join("exports")).expect("mkdir");
        std::fs::write(dir.path().join("reviews-a.csv"), "").expect("write");
        std::fs::write(dir.path().join("reviews-b.csv"), "").expect("write");
        let (done, names) = complete(&format!("{root}/ex"));
        assert_eq!(done, format!("{root}/exports/"));
        assert_eq!(names, ["exports/"]);
        let (done, names) = complete(&format!("{root}/rev"));
        assert_eq!(done, format!("{root}/reviews-"));
        assert_eq!(names.len(), 2);
        let (done, names) = complete(&format!("{root}/zzz"));
        assert_eq!(done, format!("{root}/zzz"));
        assert!(names.is_empty());
    }
}
