//! A file of the site as a preview holds it: made, or to be made from its
//! renderer when it is first asked for.

use std::sync::{Arc, OnceLock};

use super::{Content, Output, Renderer};
use crate::diagnostics::Diagnostic;
use crate::write::WriteError;

#[derive(Clone)]
pub enum Served {
    Ready(Arc<[u8]>),
    /// Made when first asked for: a preview starts serving before it has
    /// made 10,000 pages, and at that size the site-wide feeds and
    /// downloads take longer to make again after an edit than the pages
    /// the edit touches, while most edits are not followed by a download.
    Later(Arc<Later>),
}

pub struct Later {
    renderer: Arc<Renderer>,
    output: Output,
    made: OnceLock<Result<Arc<[u8]>, Arc<Diagnostic>>>,
}

impl std::fmt::Debug for Served {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Served::Ready(bytes) => write!(f, "Ready({} bytes)", bytes.len()),
            Served::Later(later) => write!(f, "Later({:?})", later.output),
        }
    }
}

impl Served {
    /// `output` of `renderer`, made when first asked for.
    pub fn later(renderer: &Arc<Renderer>, output: Output) -> Served {
        Served::Later(Arc::new(Later { renderer: renderer.clone(), output, made: OnceLock::new() }))
    }

    /// The file's bytes, made now if they were left for later (once,
    /// however many ask at the same time), or why they cannot be made.
    pub fn bytes(&self) -> Result<Arc<[u8]>, Arc<Diagnostic>> {
        match self {
            Served::Ready(bytes) => Ok(bytes.clone()),
            Served::Later(later) => later.made.get_or_init(|| later.make().map_err(Arc::new)).clone(),
        }
    }

    /// The file's bytes if they are made (or were, when first asked for).
    pub fn made(&self) -> Option<Arc<[u8]>> {
        match self {
            Served::Ready(bytes) => Some(bytes.clone()),
            Served::Later(later) => later.made.get().and_then(|made| made.as_ref().ok()).cloned(),
        }
    }

    /// Whether both are the very same file (the same held bytes, or the
    /// same file to make), which a preview need not read again.
    pub fn same(&self, other: &Served) -> bool {
        match (self, other) {
            (Served::Ready(a), Served::Ready(b)) => Arc::ptr_eq(a, b),
            (Served::Later(a), Served::Later(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Later {
    fn make(&self) -> Result<Arc<[u8]>, Diagnostic> {
        let file = self.renderer.render(self.output)?;
        match file.content {
            Content::Bytes(bytes) => Ok(bytes.into()),
            Content::Copy(from) => match std::fs::read(&from) {
                Ok(bytes) => Ok(bytes.into()),
                Err(source) => Err(Diagnostic::from(WriteError::Read { path: from, source })),
            },
        }
    }
}
