"""The labour market, defined once (see market.py). A package without models: it reads
employment's vacancies and is read by orientation, employment and analytics."""
