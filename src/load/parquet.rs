//! Parquet review data (FORMATS.md §5): Hugging Face's `stanfordnlp/imdb`, Spark and DuckDB
//! output, pandas' `to_parquet`.
//!
//! The columns are matched like the fields of any data from elsewhere (presets, names,
//! `--map`), with nested fields by dotted path (`author.steamid`); only the columns the
//! mapping uses are read, through arrow's batch reader, one row group per thread. Each
//! row's values go to the one review builder straight from the arrays (text as it lies in
//! them, numbers as numbers, a `[helpful, total]` list as a pair, timestamps of any unit
//! and dates as Unix times, dictionary strings as strings, nulls as nothing), so that every
//! value is read by the same rules as in a JSON or CSV file. (Writing each row group as
//! JSON Lines for the JSON reader, the first version, cost a second of CPU per million
//! reviews.)

use std::io;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Float16Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type,
    Int64Type, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, Field as ArrowField, TimeUnit};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::file::reader::ChunkReader;

use super::build::{Raw, RawReview, ReviewBuilder};
use super::map::{self, Options};
use super::{LoadError, Loaded, Warning};
use crate::model::StoreBuilder;
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
    // Columns the mapping uses whose values revue cannot read are said once, not left empty
    // without a word.
    let unread: Vec<Warning> = used
        .iter()
        .map(|&u| schema.field(u))
        .filter(|f| !is_written(f.data_type()))
        .map(|f| Warning {
            line: None,
            message: format!(
                "column {} ({}) holds values revue does not read; left empty",
                super::map::shown_name(f.name()),
                f.data_type()
            ),
        })
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
        let before = rows_before.get(g).copied().unwrap_or(0);
        let mut builder = ReviewBuilder::new(true).reading(reading);
        let mut extra = crate::model::Extra::default();
        let mut row = before;
        for batch in reader {
            let batch = batch.map_err(|err| LoadError::Map(format!("Parquet: {err}")))?;
            read_rows(&batch, &mapping, &mut builder, &mut extra, &mut row);
        }
        builder.settle_scale();
        let source = crate::model::Source {
            label: label.to_string(),
            ..crate::model::Source::default()
        };
        let store = StoreBuilder::from_parts(String::new(), extra);
        let (document, warnings) = builder.into_document(source, store.finish());
        Ok(Loaded::new(document, warnings))
    };
    let done = crate::tuning::each_on_every_core(groups, |g| {
        crate::stderr::catching(|| read_group(g))
            .unwrap_or_else(|m| Err(LoadError::Map(format!("not readable as Parquet: {m}"))))
    });
    // The row groups' films are one with those of the same name: one set of them, kept
    // across the groups (a hundred thousand products).
    let mut loaded = Loaded::new(crate::model::Document::default(), Vec::new());
    let mut films = crate::model::SourceSet::default();
    for group in done {
        let group = group?;
        loaded.document.merge_among(group.document, &mut films);
        loaded.warnings.extend(group.warnings);
    }
    let scale = mapping.scale;
    loaded.explained = Some(Box::new(super::Explained {
        format: NAME.into(),
        mapping: Some(mapping),
        scale: Some(scale),
        ..super::Explained::default()
    }));
    loaded.warnings = bound(loaded.warnings);
    loaded.warnings.splice(0..0, unread);
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

/// Gives each row of `batch` to the review builder, its values read by the mapping: the
/// builder reads them as it reads any data from elsewhere, straight from arrow's arrays
/// (text where it lies in them, numbers as numbers). `row` counts the rows, for warnings.
fn read_rows(
    batch: &RecordBatch,
    mapping: &map::Mapping,
    builder: &mut ReviewBuilder,
    extra: &mut crate::model::Extra,
    row: &mut usize,
) {
    // Each mapped column's array (a struct's field by its dotted path), best rank first.
    let mut columns: Vec<(&dyn Array, map::Target, u8)> = mapping
        .columns
        .iter()
        .filter_map(|c| {
            let target = c.target?;
            let mut path = c.name.split('.');
            let mut array: &dyn Array = batch.column_by_name(path.next()?)?.as_ref();
            for part in path {
                array = array.as_struct_opt()?.column_by_name(part)?.as_ref();
            }
            Some((array, target, c.rank))
        })
        .collect();
    columns.sort_by_key(|&(_, _, rank)| rank);
    for i in 0..batch.num_rows() {
        *row += 1;
        let mut owned: Vec<String> = Vec::new();
        // Text that is not UTF-8 in a binary column, decoded for this row.
        for &(array, _, _) in &columns {
            if let Some(bytes) = binary_at(array, i)
                && std::str::from_utf8(bytes).is_err()
            {
                owned.push(String::from_utf8_lossy(bytes).into_owned());
            }
        }
        let mut lossy = owned.iter();
        let mut raw = RawReview::default();
        let mut filled = [false; crate::model::schema::Field::COUNT];
        for &(array, target, _) in &columns {
            let value = raw_of(array, i, &mut lossy);
            let has = match value {
                Raw::Missing => false,
                Raw::Text(t) => !t.trim().is_empty(),
                _ => true,
            };
            if !has {
                continue;
            }
            match target {
                map::Target::Reply => {
                    if let Raw::Text(text) = value {
                        raw.set_reply(text);
                    }
                }
                map::Target::Field(field) if !filled[field as usize] => {
                    filled[field as usize] = true;
                    raw.set(field, value);
                }
                map::Target::Field(_) => {}
            }
        }
        let from = builder.warnings.len();
        if !builder.add(extra, &raw) {
            builder.note_empty(*row, true);
        }
        for w in &mut builder.warnings[from..] {
            w.line = Some(*row);
        }
        builder.bound_warnings();
    }
}

/// The bytes of a binary value, where `array` is a binary column.
fn binary_at(array: &dyn Array, row: usize) -> Option<&[u8]> {
    if array.is_null(row) {
        return None;
    }
    match array.data_type() {
        DataType::Binary => Some(array.as_binary::<i32>().value(row)),
        DataType::LargeBinary => Some(array.as_binary::<i64>().value(row)),
        DataType::BinaryView => Some(array.as_binary_view().value(row)),
        _ => None,
    }
}

/// One value as the builder takes it: text as it lies in the array, numbers as numbers,
/// a `[helpful, total]` list as a pair, timestamps and dates as Unix seconds. `lossy`
/// gives, in order, the decoded text of binary values that are not UTF-8.
fn raw_of<'a>(
    array: &'a dyn Array,
    row: usize,
    lossy: &mut std::slice::Iter<'a, String>,
) -> Raw<'a> {
    use arrow_array::types::{
        TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
        TimestampSecondType,
    };
    if array.is_null(row) {
        return Raw::Missing;
    }
    let int = |n: i64| Raw::Int(n);
    match array.data_type() {
        DataType::Boolean => Raw::Flag(array.as_boolean().value(row)),
        DataType::Int8 => int(array.as_primitive::<Int8Type>().value(row).into()),
        DataType::Int16 => int(array.as_primitive::<Int16Type>().value(row).into()),
        DataType::Int32 => int(array.as_primitive::<Int32Type>().value(row).into()),
        DataType::Int64 => int(array.as_primitive::<Int64Type>().value(row)),
        DataType::UInt8 => int(array.as_primitive::<UInt8Type>().value(row).into()),
        DataType::UInt16 => int(array.as_primitive::<UInt16Type>().value(row).into()),
        DataType::UInt32 => int(array.as_primitive::<UInt32Type>().value(row).into()),
        DataType::UInt64 => {
            let n = array.as_primitive::<UInt64Type>().value(row);
            i64::try_from(n).map_or(Raw::Large(n), Raw::Int)
        }
        DataType::Float16 => Raw::Float(array.as_primitive::<Float16Type>().value(row).into()),
        DataType::Float32 => Raw::Float(array.as_primitive::<Float32Type>().value(row).into()),
        DataType::Float64 => Raw::Float(array.as_primitive::<Float64Type>().value(row)),
        DataType::Decimal128(..) => array
            .as_primitive::<arrow_array::types::Decimal128Type>()
            .value_as_string(row)
            .parse()
            .map_or(Raw::Missing, Raw::Float),
        DataType::Utf8 => Raw::Text(array.as_string::<i32>().value(row)),
        DataType::LargeUtf8 => Raw::Text(array.as_string::<i64>().value(row)),
        DataType::Utf8View => Raw::Text(array.as_string_view().value(row)),
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView => {
            match binary_at(array, row).map(std::str::from_utf8) {
                Some(Ok(text)) => Raw::Text(text),
                Some(Err(_)) => lossy.next().map_or(Raw::Missing, |t| Raw::Text(t)),
                None => Raw::Missing,
            }
        }
        DataType::Timestamp(unit, _) => {
            let seconds = match unit {
                TimeUnit::Second => array.as_primitive::<TimestampSecondType>().value(row),
                TimeUnit::Millisecond => array
                    .as_primitive::<TimestampMillisecondType>()
                    .value(row)
                    .div_euclid(1_000),
                TimeUnit::Microsecond => array
                    .as_primitive::<TimestampMicrosecondType>()
                    .value(row)
                    .div_euclid(1_000_000),
                TimeUnit::Nanosecond => array
                    .as_primitive::<TimestampNanosecondType>()
                    .value(row)
                    .div_euclid(1_000_000_000),
            };
            Raw::Time(seconds)
        }
        DataType::Date32 => {
            Raw::Time(i64::from(array.as_primitive::<Date32Type>().value(row)) * 86_400)
        }
        DataType::Date64 => Raw::Time(
            array
                .as_primitive::<Date64Type>()
                .value(row)
                .div_euclid(1_000),
        ),
        DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(..) => {
            let items = match array.data_type() {
                DataType::List(_) => array.as_list::<i32>().value(row),
                DataType::LargeList(_) => array.as_list::<i64>().value(row),
                _ => array.as_fixed_size_list().value(row),
            };
            let mut none = [].iter();
            match (items.len(), raw_of(items.as_ref(), 0, &mut none)) {
                (2, Raw::Int(a)) => match raw_of(items.as_ref(), 1, &mut none) {
                    Raw::Int(b) => Raw::Pair(a, b),
                    _ => Raw::Missing,
                },
                _ => Raw::Missing,
            }
        }
        DataType::Dictionary(..) => {
            let dictionary = array.as_any_dictionary();
            let key = dictionary.normalized_keys()[row];
            raw_of(dictionary.values().as_ref(), key, lossy)
        }
        _ => Raw::Missing,
    }
}

/// Whether values of type `data_type` are read (see [`raw_of`]).
fn is_written(data_type: &DataType) -> bool {
    match data_type {
        DataType::List(item) | DataType::LargeList(item) | DataType::FixedSizeList(item, _) => {
            is_written(item.data_type())
        }
        DataType::Struct(fields) => fields.iter().all(|f| is_written(f.data_type())),
        DataType::Dictionary(_, values) => is_written(values),
        DataType::Time32(_)
        | DataType::Time64(_)
        | DataType::Duration(_)
        | DataType::Interval(_)
        | DataType::Map(..)
        | DataType::Union(..)
        | DataType::RunEndEncoded(..)
        | DataType::ListView(_)
        | DataType::LargeListView(_) => false,
        _ => true,
    }
}
