//! Drawing pieces shared by screens: styled and wrapped text, tables.

pub mod text;
