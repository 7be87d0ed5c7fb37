import './base.css';
import './courses.css';
