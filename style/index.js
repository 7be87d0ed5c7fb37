// Each view loads its own styles with its code (see index.css).
