//! Drawing pieces shared by screens: styled and wrapped text, tables, bars.

pub mod gauge;
pub mod text;
