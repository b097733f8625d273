//! The last pass over the assembled file (lopdf): outline, attached report data, compression,
//! and reading the attached data back for verification.

use std::io::{Read as _, Write as _};

use flate2::{Compression, read::ZlibDecoder, write::ZlibEncoder};
use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};

use super::error::PdfError;
use super::page::{Bookmark, PAGE_HEIGHT};

/// Name of the attached file that holds the report's data.
pub const DATA_FILE_NAME: &str = "assay-report-data.json";

/// The report's canonical JSON and the SHA-256 recorded with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportData {
    pub json: Vec<u8>,
    pub content_hash: String,
}

/// Attaches the data as an embedded file (visible in a viewer's attachments panel) and records
/// its hash in the document information dictionary as `/AssayContentHash`.
pub fn attach_report_data(lo: &mut lopdf::Document, data: &ReportData) -> Result<(), PdfError> {
    let mut stream_dict = Dictionary::new();
    stream_dict.set("Type", "EmbeddedFile");
    stream_dict.set("Subtype", Object::Name(b"application/json".to_vec()));
    let mut params = Dictionary::new();
    params.set("Size", i64::try_from(data.json.len()).unwrap_or(i64::MAX));
    stream_dict.set("Params", params);
    let stream = lo.add_object(Stream::new(stream_dict, data.json.clone()));
    let mut ef = Dictionary::new();
    ef.set("F", stream);
    let mut spec = Dictionary::new();
    spec.set("Type", "Filespec");
    spec.set("F", Object::string_literal(DATA_FILE_NAME));
    spec.set("UF", Object::string_literal(DATA_FILE_NAME));
    spec.set(
        "Desc",
        Object::string_literal("The data this report was rendered from (canonical JSON)"),
    );
    spec.set("AFRelationship", "Data");
    spec.set("EF", ef);
    let spec = lo.add_object(spec);
    let mut tree = Dictionary::new();
    tree.set(
        "Names",
        vec![
            Object::string_literal(DATA_FILE_NAME),
            Object::Reference(spec),
        ],
    );
    let mut names = Dictionary::new();
    names.set("EmbeddedFiles", tree);
    let catalog = lo.catalog_mut()?;
    catalog.set("Names", names);
    catalog.set("AF", vec![Object::Reference(spec)]);
    let info = lo.trailer.get(b"Info").and_then(Object::as_reference)?;
    lo.get_object_mut(info).and_then(Object::as_dict_mut)?.set(
        "AssayContentHash",
        Object::string_literal(data.content_hash.as_str()),
    );
    Ok(())
}

/// Reads back what [`attach_report_data`] wrote: `Ok(None)` when the file carries no Assay
/// report data, `Err` (saying why) when it does but the data cannot be read: a damaged or
/// edited file, not a file of another kind.
pub fn read_report_data(bytes: &[u8]) -> Result<Option<ReportData>, String> {
    let Some(found) = find_report_data(bytes) else {
        return Ok(None);
    };
    let json = if found.deflated {
        let mut out = Vec::new();
        ZlibDecoder::new(found.stream.as_slice())
            .read_to_end(&mut out)
            .map_err(|e| format!("the embedded data stream does not inflate: {e}"))?;
        out
    } else {
        found.stream
    };
    let content_hash = String::from_utf8(found.content_hash)
        .map_err(|_| "the recorded content hash is not text".to_owned())?;
    Ok(Some(ReportData { json, content_hash }))
}

/// The raw embedded data stream and the recorded hash, where the file has them.
struct FoundData {
    stream: Vec<u8>,
    deflated: bool,
    content_hash: Vec<u8>,
}

fn find_report_data(bytes: &[u8]) -> Option<FoundData> {
    let lo = lopdf::Document::load_mem(bytes).ok()?;
    let info = lo
        .trailer
        .get(b"Info")
        .and_then(Object::as_reference)
        .ok()?;
    let hash = lo
        .get_dictionary(info)
        .ok()?
        .get(b"AssayContentHash")
        .ok()?
        .as_str()
        .ok()?;
    let names = lo.catalog().ok()?.get(b"Names").ok()?;
    let names = match names {
        Object::Reference(id) => lo.get_dictionary(*id).ok()?,
        other => other.as_dict().ok()?,
    };
    let tree = names.get(b"EmbeddedFiles").ok()?;
    let tree = match tree {
        Object::Reference(id) => lo.get_dictionary(*id).ok()?,
        other => other.as_dict().ok()?,
    };
    let entries = tree.get(b"Names").ok()?.as_array().ok()?;
    let spec = entries
        .chunks(2)
        .find(|pair| pair[0].as_str().ok() == Some(DATA_FILE_NAME.as_bytes()))?
        .get(1)?;
    let spec = lo.get_dictionary(spec.as_reference().ok()?).ok()?;
    let stream_id = spec
        .get(b"EF")
        .ok()?
        .as_dict()
        .ok()?
        .get(b"F")
        .ok()?
        .as_reference()
        .ok()?;
    let stream = lo.get_object(stream_id).ok()?.as_stream().ok()?;
    Some(FoundData {
        stream: stream.content.clone(),
        deflated: stream.dict.get(b"Filter").is_ok(),
        content_hash: hash.to_vec(),
    })
}

/// Deflates every stream not yet compressed, at the default level (6). lopdf's own
/// `compress` uses level 9: 25 % more instructions for the whole 58-page benchmark report
/// and no smaller file.
pub(super) fn compress(lo: &mut lopdf::Document) -> Result<(), PdfError> {
    for object in lo.objects.values_mut() {
        if let Object::Stream(stream) = object
            && stream.allows_compression
            && stream.dict.get(b"Filter").is_err()
        {
            let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
            encoder.write_all(&stream.content)?;
            let deflated = encoder.finish()?;
            if deflated.len() + 19 < stream.content.len() {
                stream.dict.set("Filter", "FlateDecode");
                stream.set_content(deflated);
            }
        }
    }
    Ok(())
}

/// The trailer id: the document id decoded from hex (at most 32 bytes), else its bytes.
pub(super) fn id_bytes(id: &str) -> Vec<u8> {
    let hex = |b: u8| {
        char::from(b)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    let pairs = id.as_bytes().chunks(2);
    let decoded: Option<Vec<u8>> = pairs
        .map(|p| Some(hex(p[0])? * 16 + hex(*p.get(1)?)?))
        .collect();
    decoded.filter(|b| !b.is_empty()).map_or_else(
        || id.as_bytes().to_vec(),
        |b| b.into_iter().take(32).collect(),
    )
}

/// A flat outline, in the order the entries were added, each pointing at its position.
pub(super) fn add_outline(lo: &mut lopdf::Document, entries: &[Bookmark]) -> Result<(), PdfError> {
    let pages = lo.get_pages();
    let entries: Vec<(&Bookmark, ObjectId)> = entries
        .iter()
        .filter_map(|e| Some((e, *pages.get(&u32::try_from(e.page).ok()?)?)))
        .collect();
    if entries.is_empty() {
        return Ok(());
    }
    let root = lo.new_object_id();
    let ids: Vec<ObjectId> = entries.iter().map(|_| lo.new_object_id()).collect();
    for (i, (entry, page)) in entries.iter().enumerate() {
        let top = (PAGE_HEIGHT - entry.y + 6.0).min(PAGE_HEIGHT);
        let mut d = Dictionary::new();
        d.set(
            "Title",
            Object::String(utf16be(&entry.title), StringFormat::Hexadecimal),
        );
        d.set("Parent", root);
        let dest = vec![
            Object::Reference(*page),
            "XYZ".into(),
            Object::Null,
            top.into(),
            Object::Null,
        ];
        d.set("Dest", dest);
        if i > 0 {
            d.set("Prev", ids[i - 1]);
        }
        if let Some(next) = ids.get(i + 1) {
            d.set("Next", *next);
        }
        lo.set_object(ids[i], d);
    }
    let mut outlines = Dictionary::new();
    outlines.set("Type", "Outlines");
    outlines.set("First", ids[0]);
    outlines.set("Last", ids[ids.len() - 1]);
    outlines.set("Count", ids.len() as i64);
    lo.set_object(root, outlines);
    let catalog = lo.catalog_mut()?;
    catalog.set("Outlines", root);
    catalog.set("PageMode", "UseOutlines");
    Ok(())
}

/// A PDF text string: UTF-16BE with a byte order mark.
fn utf16be(s: &str) -> Vec<u8> {
    let mut out = vec![0xFE, 0xFF];
    out.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
    out
}
