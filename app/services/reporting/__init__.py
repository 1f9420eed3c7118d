"""Directors' figures, the lists behind them, the documents, the calendar and director areas."""
