"""nianbao: compliance monitoring of 政府信息公开工作年度报告."""
