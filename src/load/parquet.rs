//! Parquet review data (FORMATS.md §5): Hugging Face's `stanfordnlp/imdb`, Spark and DuckDB
//! output, pandas' `to_parquet`.
//!
//! The columns are matched like the fields of any data from elsewhere (presets, names,
//! `--map`), with nested fields by dotted path (`author.steamid`); only the columns the
//! mapping uses are read, through arrow's batch reader, one row group per thread. Each row
//! group's rows are then written as JSON Lines of those columns (lists as arrays, structs
//! as objects, timestamps and dates as date-times, dictionary strings as strings, nulls as
//! null) and read by the JSON reader with the mapping already chosen, so that every value
//! is read by the same rules as in a JSON file.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Float16Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type,
    Int64Type, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, Field as ArrowField, Fields, TimeUnit};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::file::reader::ChunkReader;

use super::map::{self, Options};
use super::{LoadError, Loaded, Warning};
use crate::read::container::Columnar;

/// The format's name, as `--explain` shows it.
pub const NAME: &str = "Parquet";

/// Rows per batch the reader decodes at a time.
const BATCH_ROWS: usize = 8192;

/// Loads the reviews of a Parquet file.
///
/// # Errors
/// When the file is not valid Parquet, uses a compression revue was built without, or has
/// no column to read as a review.
pub fn load(bytes: Columnar, label: &str, options: &Options) -> Result<Loaded, LoadError> {
    // The Parquet reader can panic on a corrupt file (an assertion on a negative offset): a
    // corrupt file is a load error like any other.
    crate::stderr::catching(|| load_caught(bytes, label, options)).unwrap_or_else(|message| {
        Err(LoadError::Map(format!(
            "not readable as Parquet: {message}"
        )))
    })
}

fn load_caught(bytes: Columnar, label: &str, options: &Options) -> Result<Loaded, LoadError> {
    match bytes {
        Columnar::File(file) => {
            let file = Positional(Arc::new(file));
            load_from(label, options, move || Ok(file.clone()))
        }
        Columnar::Memory(bytes) => load_from(label, options, move || Ok(bytes.clone())),
    }
}

/// A file read at any offset by several threads at once. The `File` reader parquet
/// provides seeks a cloned handle, which shares its offset with every other clone: two row
/// groups read side by side read each other's bytes.
#[derive(Clone)]
struct Positional(Arc<std::fs::File>);

/// A sequential reader of a [`Positional`] file from an offset of its own.
struct PositionalRead {
    file: Arc<std::fs::File>,
    at: u64,
}

impl io::Read for PositionalRead {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = read_at(&self.file, buf, self.at)?;
        self.at += n as u64;
        Ok(n)
    }
}

#[cfg(unix)]
fn read_at(file: &std::fs::File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, at)
}

#[cfg(windows)]
fn read_at(file: &std::fs::File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, at)
}

impl parquet::file::reader::Length for Positional {
    fn len(&self) -> u64 {
        self.0.metadata().map_or(0, |m| m.len())
    }
}

impl ChunkReader for Positional {
    type T = io::BufReader<PositionalRead>;

    fn get_read(&self, start: u64) -> parquet::errors::Result<Self::T> {
        Ok(io::BufReader::new(PositionalRead {
            file: Arc::clone(&self.0),
            at: start,
        }))
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<bytes::Bytes> {
        let mut buffer = vec![0; length];
        let mut got = 0;
        while got < length {
            match read_at(&self.0, &mut buffer[got..], start + got as u64) {
                Ok(0) => {
                    return Err(parquet::errors::ParquetError::EOF(format!(
                        "expected {length} bytes at offset {start}, the file ends after {got}"
                    )));
                }
                Ok(n) => got += n,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => return Err(err.into()),
            }
        }
        Ok(buffer.into())
    }
}

fn load_from<R: ChunkReader + 'static>(
    label: &str,
    options: &Options,
    open: impl Fn() -> io::Result<R> + Sync,
) -> Result<Loaded, LoadError> {
    let meta = ArrowReaderMetadata::load(&open().map_err(io_error)?, ArrowReaderOptions::new())
        .map_err(parquet_error)?;
    let schema = meta.schema().clone();
    let mut names = Vec::new();
    for field in schema.fields() {
        leaf_names(field, "", &mut names);
    }
    let (mapping, reading) = map::choose_mapped(&names, options, NAME)?;
    // The top-level columns that hold a field the mapping reads.
    let used: Vec<usize> = schema
        .fields()
        .iter()
        .enumerate()
        .filter(|(_, field)| {
            mapping.columns.iter().any(|c| {
                c.target.is_some()
                    && (c.name == *field.name()
                        || c.name
                            .strip_prefix(field.name().as_str())
                            .is_some_and(|rest| rest.starts_with('.')))
            })
        })
        .map(|(i, _)| i)
        .collect();
    let mask = ProjectionMask::roots(meta.parquet_schema(), used.iter().copied());
    let groups = meta.metadata().num_row_groups();
    let rows_before: Vec<usize> = meta
        .metadata()
        .row_groups()
        .iter()
        .scan(0usize, |before, group| {
            let at = *before;
            *before += usize::try_from(group.num_rows()).unwrap_or(0);
            Some(at)
        })
        .collect();
    let next = AtomicUsize::new(0);
    let read_group = |g: usize| -> Result<Loaded, LoadError> {
        let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(
            open().map_err(io_error)?,
            meta.clone(),
        )
        .with_row_groups(vec![g])
        .with_projection(mask.clone())
        .with_batch_size(BATCH_ROWS)
        .build()
        .map_err(parquet_error)?;
        // The JSON is about as long as the columns it holds, uncompressed, plus the names
        // and punctuation of each row: room for it at once, not grown and copied.
        let group = meta.metadata().row_group(g);
        let columns: i64 = group
            .columns()
            .iter()
            .filter(|c| {
                let root = c.column_path().parts().first().map(String::as_str);
                used.iter()
                    .any(|&u| root == Some(schema.field(u).name().as_str()))
            })
            .map(parquet::file::metadata::ColumnChunkMetaData::uncompressed_size)
            .sum();
        let rows = usize::try_from(group.num_rows()).unwrap_or(0);
        let estimate = usize::try_from(columns).unwrap_or(0) + rows * (16 + 8 * used.len());
        let mut text = Vec::with_capacity(estimate + estimate / 8);
        for batch in reader {
            let batch = batch.map_err(|err| LoadError::Map(format!("Parquet: {err}")))?;
            write_lines(&batch, &mut text);
        }
        let text = String::from_utf8(text)
            .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned());
        let mut loaded = super::json::load_records(text, label, mapping.clone(), reading)?;
        for w in &mut loaded.warnings {
            w.line = w.line.map(|l| l + rows_before.get(g).copied().unwrap_or(0));
        }
        Ok(loaded)
    };
    let workers = crate::tuning::threads().min(groups.max(1));
    let mut done: Vec<(usize, Result<Loaded, LoadError>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let g = next.fetch_add(1, Ordering::Relaxed);
                        if g >= groups {
                            return mine;
                        }
                        let read = crate::stderr::catching(|| read_group(g)).unwrap_or_else(|m| {
                            Err(LoadError::Map(format!("not readable as Parquet: {m}")))
                        });
                        mine.push((g, read));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    done.sort_by_key(|(g, _)| *g);
    let mut whole: Option<Loaded> = None;
    for (_, loaded) in done {
        let loaded = loaded?;
        match &mut whole {
            None => whole = Some(loaded),
            Some(all) => {
                all.document.merge(loaded.document);
                all.warnings.extend(loaded.warnings);
            }
        }
    }
    let mut loaded =
        whole.unwrap_or_else(|| Loaded::new(crate::model::Document::default(), Vec::new()));
    // The JSON reader explains the text it read; the mapping is the one chosen from the
    // file's columns, and the format is Parquet.
    let scale = loaded.explained.as_ref().and_then(|e| e.scale);
    loaded.explained = Some(Box::new(super::Explained {
        format: NAME.into(),
        mapping: Some(mapping),
        scale,
        ..super::Explained::default()
    }));
    loaded.warnings = bound(loaded.warnings);
    Ok(loaded)
}

/// Many row groups each keep their own warnings; together they are kept as one load keeps
/// them.
fn bound(warnings: Vec<Warning>) -> Vec<Warning> {
    super::WarningLog::default().finish(warnings)
}

/// The dotted names of a field's leaves (`author.steamid`), as the mapping matches them;
/// a list is one field, named by itself.
fn leaf_names(field: &ArrowField, prefix: &str, out: &mut Vec<String>) {
    let name = if prefix.is_empty() {
        field.name().clone()
    } else {
        format!("{prefix}.{}", field.name())
    };
    match field.data_type() {
        DataType::Struct(children) => {
            for child in children {
                leaf_names(child, &name, out);
            }
        }
        _ => out.push(name),
    }
}

#[allow(clippy::needless_pass_by_value)] // used as map_err(parquet_error)
fn parquet_error(err: parquet::errors::ParquetError) -> LoadError {
    LoadError::Map(format!("not readable as Parquet: {err}"))
}

#[allow(clippy::needless_pass_by_value)] // used as map_err(io_error)
fn io_error(err: io::Error) -> LoadError {
    LoadError::Map(format!("cannot read: {err}"))
}

/// Appends each row of `batch` as one line of JSON.
fn write_lines(batch: &RecordBatch, out: &mut Vec<u8>) {
    let schema = batch.schema();
    let fields = schema.fields();
    for row in 0..batch.num_rows() {
        write_object(fields, batch.columns(), row, out);
        out.push(b'\n');
    }
}

fn write_object(fields: &Fields, columns: &[Arc<dyn Array>], row: usize, out: &mut Vec<u8>) {
    out.push(b'{');
    for (i, (field, column)) in fields.iter().zip(columns).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_string(field.name(), out);
        out.push(b':');
        write_value(column.as_ref(), row, out);
    }
    out.push(b'}');
}

/// Writes one value as JSON.
fn write_value(array: &dyn Array, row: usize, out: &mut Vec<u8>) {
    use std::io::Write as _;
    if array.is_null(row) {
        out.extend_from_slice(b"null");
        return;
    }
    macro_rules! number {
        ($t:ty) => {{
            let _ = write!(out, "{}", array.as_primitive::<$t>().value(row));
        }};
    }
    match array.data_type() {
        DataType::Null => out.extend_from_slice(b"null"),
        DataType::Boolean => {
            let flag = array.as_boolean().value(row);
            out.extend_from_slice(if flag { b"true" } else { b"false" });
        }
        DataType::Int8 => number!(Int8Type),
        DataType::Int16 => number!(Int16Type),
        DataType::Int32 => number!(Int32Type),
        DataType::Int64 => number!(Int64Type),
        DataType::UInt8 => number!(UInt8Type),
        DataType::UInt16 => number!(UInt16Type),
        DataType::UInt32 => number!(UInt32Type),
        DataType::UInt64 => number!(UInt64Type),
        DataType::Float16 => {
            write_float(array.as_primitive::<Float16Type>().value(row).into(), out);
        }
        DataType::Float32 => {
            write_float(array.as_primitive::<Float32Type>().value(row).into(), out);
        }
        DataType::Float64 => write_float(array.as_primitive::<Float64Type>().value(row), out),
        DataType::Utf8 => write_string(array.as_string::<i32>().value(row), out),
        DataType::LargeUtf8 => write_string(array.as_string::<i64>().value(row), out),
        DataType::Utf8View => write_string(array.as_string_view().value(row), out),
        DataType::Binary => write_lossy(array.as_binary::<i32>().value(row), out),
        DataType::LargeBinary => write_lossy(array.as_binary::<i64>().value(row), out),
        DataType::BinaryView => write_lossy(array.as_binary_view().value(row), out),
        DataType::Timestamp(unit, _) => {
            use arrow_array::types::{
                TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
                TimestampSecondType,
            };
            let (value, per_second) = match unit {
                TimeUnit::Second => (array.as_primitive::<TimestampSecondType>().value(row), 1),
                TimeUnit::Millisecond => (
                    array.as_primitive::<TimestampMillisecondType>().value(row),
                    1_000,
                ),
                TimeUnit::Microsecond => (
                    array.as_primitive::<TimestampMicrosecondType>().value(row),
                    1_000_000,
                ),
                TimeUnit::Nanosecond => (
                    array.as_primitive::<TimestampNanosecondType>().value(row),
                    1_000_000_000,
                ),
            };
            write_date_time(value.div_euclid(per_second), out);
        }
        DataType::Date32 => {
            let days = array.as_primitive::<Date32Type>().value(row);
            write_date_time(i64::from(days) * 86_400, out);
        }
        DataType::Date64 => {
            let ms = array.as_primitive::<Date64Type>().value(row);
            write_date_time(ms.div_euclid(1000), out);
        }
        DataType::List(_) => {
            let list = array.as_list::<i32>().value(row);
            write_list(list.as_ref(), out);
        }
        DataType::LargeList(_) => {
            let list = array.as_list::<i64>().value(row);
            write_list(list.as_ref(), out);
        }
        DataType::FixedSizeList(..) => {
            let list = array.as_fixed_size_list().value(row);
            write_list(list.as_ref(), out);
        }
        DataType::Struct(fields) => {
            let object = array.as_struct();
            write_object(fields, object.columns(), row, out);
        }
        DataType::Dictionary(..) => {
            let dictionary = array.as_any_dictionary();
            let key = dictionary.normalized_keys()[row];
            write_value(dictionary.values().as_ref(), key, out);
        }
        _ => match arrow_cast::display::ArrayFormatter::try_new(
            array,
            &arrow_cast::display::FormatOptions::default(),
        ) {
            Ok(formatter) => write_string(&formatter.value(row).to_string(), out),
            Err(_) => out.extend_from_slice(b"null"),
        },
    }
}

fn write_list(items: &dyn Array, out: &mut Vec<u8>) {
    out.push(b'[');
    for i in 0..items.len() {
        if i > 0 {
            out.push(b',');
        }
        write_value(items, i, out);
    }
    out.push(b']');
}

fn write_float(value: f64, out: &mut Vec<u8>) {
    use std::io::Write as _;
    if value.is_finite() {
        let _ = write!(out, "{value}");
    } else {
        out.extend_from_slice(b"null");
    }
}

/// A Unix time as the date-time `YYYY-MM-DD HH:MM:SS` (UTC), which the date reader takes.
fn write_date_time(seconds: i64, out: &mut Vec<u8>) {
    use std::io::Write as _;
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let _ = write!(
        out,
        "\"{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}\"",
        of_day / 3600,
        of_day / 60 % 60,
        of_day % 60
    );
}

/// The calendar date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn write_lossy(bytes: &[u8], out: &mut Vec<u8>) {
    write_string(&String::from_utf8_lossy(bytes), out);
}

/// Writes `text` as a JSON string.
// Bitwise, not lazy: a branch per byte would stop the compiler vectorizing the scan.
#[allow(clippy::needless_bitwise_bool)]
fn write_string(text: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    let bytes = text.as_bytes();
    // Most text needs no escape: one pass the compiler vectorizes (no early exit) says so,
    // and the text is copied whole. Byte by byte, this was a quarter of a load.
    let needs = bytes.iter().fold(false, |any, &b| {
        any | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    if needs {
        write_escaped(bytes, out);
    } else {
        out.extend_from_slice(bytes);
    }
    out.push(b'"');
}

/// The body of a JSON string for `bytes`, which hold something to escape.
fn write_escaped(bytes: &[u8], out: &mut Vec<u8>) {
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0xf)]);
            }
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_days() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_000), (2022, 1, 8));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        let mut out = Vec::new();
        write_date_time(1_530_994_151, &mut out);
        assert_eq!(
            String::from_utf8(out).expect("utf8"),
            "\"2018-07-07 20:09:11\""
        );
    }

    #[test]
    fn strings_are_escaped() {
        let mut out = Vec::new();
        write_string("a\"b\\c\nd\u{1}é", &mut out);
        assert_eq!(
            String::from_utf8(out).expect("utf8"),
            "\"a\\\"b\\\\c\\nd\\u0001é\""
        );
    }
}
